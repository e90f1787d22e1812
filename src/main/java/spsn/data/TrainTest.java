package spsn.data;

/**
 * The two splits used by a run.
 *
 * @param train the training set (shuffled, optionally augmented)
 * @param test the test set (file order)
 */
public record TrainTest(SpikeDataset train, SpikeDataset test) {

    /** The original's max_duration: the largest bin over both splits + 1. */
    public int maxDuration() {
        return Math.max(train.maxLength(), test.maxLength());
    }
}
