package spsn.data;

/**
 * The splits used by a run.
 *
 * @param train the training set (shuffled, optionally augmented)
 * @param valid the validation set (file order), or null: SHD has none unless --valid_fraction carves one
 * @param test the test set (file order)
 */
public record TrainTest(SpikeDataset train, SpikeDataset valid, SpikeDataset test) {

    /** Train and test only, as the original. */
    public TrainTest(SpikeDataset train, SpikeDataset test) {
        this(train, null, test);
    }

    /** The original's max_duration: the largest bin over both splits + 1 (the validation split too). */
    public int maxDuration() {
        int max = Math.max(train.maxLength(), test.maxLength());
        return valid == null ? max : Math.max(max, valid.maxLength());
    }
}
