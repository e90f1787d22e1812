package spsn.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import spsn.SpsnException;
import spsn.data.DataFingerprint;
import spsn.data.SpikeDataset;
import spsn.data.TrainTest;

/**
 * What a checkpoint records of the data its run trains and tests on: the size of each split
 * and a {@link DataFingerprint} of its content. A resume on other data is refused, naming what
 * changed. Checkpoints of earlier versions have no fingerprints (null): their resume is
 * checked on sizes only, with a warning.
 */
record DataIdentity(int trainSamples, int testSamples, String trainFingerprint, String testFingerprint) {

    static DataIdentity of(TrainTest data) {
        return new DataIdentity(data.train().size(), data.test().size(), DataFingerprint.of(data.train()),
                DataFingerprint.of(data.test()));
    }

    boolean hasFingerprints() {
        return trainFingerprint != null && testFingerprint != null;
    }

    /**
     * Refuses {@code now}, the data a resume loaded, unless it is the data of the checkpoint
     * {@code file} (this identity).
     *
     * @throws SpsnException (data) naming the split, its source, and how it differs
     */
    void requireSame(DataIdentity now, TrainTest data, Path file) {
        List<String> changed = new ArrayList<>();
        describe(changed, "training set", data.train(), trainSamples, now.trainSamples, trainFingerprint,
                now.trainFingerprint);
        describe(changed, "test set", data.test(), testSamples, now.testSamples, testFingerprint, now.testFingerprint);
        if (!changed.isEmpty()) {
            throw SpsnException.data("checkpoint " + file + " was saved with other data: " + String.join("; ", changed)
                    + "; resume with the data it was trained on (--data_dir), or start a new run");
        }
    }

    private static void describe(List<String> changed, String split, SpikeDataset data, int samplesThen,
                                 int samplesNow, String fingerprintThen, String fingerprintNow) {
        if (samplesThen != samplesNow) {
            changed.add("the " + split + " (" + data.name() + ") has " + samplesNow + " samples, the checkpoint's had "
                    + samplesThen);
        } else if (fingerprintThen != null && !fingerprintThen.equals(fingerprintNow)) {
            changed.add("the " + split + " (" + data.name() + ") has the same " + samplesNow
                    + " samples but other content (labels, spike times or units differ)");
        }
    }
}
