package spsn.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Holds out part of a training set for validation, class by class: of each class's samples,
 * {@code round(fraction × count)} chosen at random (from {@code seed}) go to the validation
 * set, so both keep the class proportions. Both sets keep the file order of their samples.
 */
public final class ValidationSplit {

    private ValidationSplit() {
    }

    /** {@code data} with its training set split in two; its test set is unchanged. */
    public static TrainTest carve(TrainTest data, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1), got " + fraction);
        }
        SpikeDataset train = data.train();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < train.nbClasses(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < train.size(); i++) {
            byClass.get(train.get(i).label()).add(i);
        }
        boolean[] held = new boolean[train.size()];
        SplittableRandom rng = new SplittableRandom(seed);
        for (List<Integer> members : byClass) {
            int take = (int) Math.round(fraction * members.size());
            // A partial Fisher-Yates shuffle picks `take` members uniformly.
            for (int k = 0; k < take; k++) {
                int j = k + rng.nextInt(members.size() - k);
                Integer picked = members.get(j);
                members.set(j, members.get(k));
                members.set(k, picked);
                held[picked] = true;
            }
        }
        List<SpikeSample> kept = new ArrayList<>();
        List<SpikeSample> valid = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            (held[i] ? valid : kept).add(train.get(i));
        }
        if (kept.isEmpty() || valid.isEmpty()) {
            throw new IllegalArgumentException("a fraction of " + fraction + " of " + train.size()
                    + " samples leaves " + kept.size() + " to train on and " + valid.size() + " to validate");
        }
        return new TrainTest(
                new SpikeDataset(train.name() + " (training part)", List.copyOf(kept), train.nbChannels(),
                        train.classNames()),
                new SpikeDataset(train.name() + " (validation part, " + fraction + ")", List.copyOf(valid),
                        train.nbChannels(), train.classNames()),
                data.test());
    }
}
