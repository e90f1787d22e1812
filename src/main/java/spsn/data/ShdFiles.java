package spsn.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import spsn.SpsnException;

/** Loads the SHD train and test files from a data folder, as the original's datasets/ folder. */
public final class ShdFiles {

    public static final String TRAIN_FILE = "shd_train.h5";
    public static final String TEST_FILE = "shd_test.h5";
    public static final String SOURCE = "https://zenkelab.org/resources/spiking-heidelberg-datasets-shd/";

    private ShdFiles() {
    }

    /** Both files, binned by {@code rule} (see {@link BinningRule}). */
    public static TrainTest load(Path dataDir, BinningRule rule) {
        Path trainFile = dataDir.resolve(TRAIN_FILE);
        Path testFile = dataDir.resolve(TEST_FILE);
        requirePresent(trainFile, dataDir);
        requirePresent(testFile, dataDir);
        SpikeDataset train = ShdReader.read(trainFile, rule);
        SpikeDataset test = ShdReader.read(testFile, rule);
        if (train.nbChannels() != test.nbChannels()) {
            throw SpsnException.data(testFile + ": has " + test.nbChannels() + " channels but " + trainFile
                    + " has " + train.nbChannels() + "; both splits must come from the same dataset");
        }
        return new TrainTest(train, sameClasses(train, test, trainFile, testFile));
    }

    /**
     * The test split scored against the training split's classes. Class names are compared as
     * names: the same names in another order would score every test sample against the wrong
     * class. A split without /extra/keys is named by its labels "0".."max"; a test split that
     * merely lacks the highest classes (a small or filtered split) is fine.
     */
    static SpikeDataset sameClasses(SpikeDataset train, SpikeDataset test, Path trainFile, Path testFile) {
        List<String> trainNames = train.classNames();
        List<String> testNames = test.classNames();
        if (trainNames.equals(testNames)) {
            return test;
        }
        boolean byLabels = testNames.equals(labelNames(testNames.size()))
                && trainNames.equals(labelNames(trainNames.size()));
        boolean fewer = testNames.size() < trainNames.size()
                && trainNames.subList(0, testNames.size()).equals(testNames);
        if (fewer && (byLabels || !trainNames.equals(labelNames(trainNames.size())))) {
            return new SpikeDataset(test.name(), test.samples(), test.nbChannels(), trainNames);
        }
        String how = testNames.size() == trainNames.size() && Set.copyOf(testNames).equals(Set.copyOf(trainNames))
                ? "the same " + trainNames.size() + " names in another order" : "other names";
        throw SpsnException.data(testFile + ": its class names differ from those of " + trainFile + " (" + how
                + "): test " + testNames + ", train " + trainNames + "; both splits must come from the same dataset,"
                + " with the same class order");
    }

    private static List<String> labelNames(int n) {
        List<String> names = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
            names.add(Integer.toString(c));
        }
        return names;
    }

    /**
     * The test split alone, for a run that only tests a saved model: the original reads the train
     * file too, but only for max_duration, which sizes a cache and changes no output here (each
     * file is binned on its own, each batch padded to its own longest sample). Channels and class
     * names come from the test file; the train split is empty.
     */
    public static TrainTest loadTestOnly(Path dataDir, BinningRule rule) {
        Path testFile = dataDir.resolve(TEST_FILE);
        requirePresent(testFile, dataDir);
        SpikeDataset test = ShdReader.read(testFile, rule);
        SpikeDataset noTrain = new SpikeDataset("no train set (test only)", List.of(), test.nbChannels(),
                test.classNames());
        return new TrainTest(noTrain, test);
    }

    private static void requirePresent(Path file, Path dataDir) {
        if (!Files.exists(file) && !Files.isSymbolicLink(file)) {
            throw SpsnException.data(file + " not found: download shd_train.h5.gz and shd_test.h5.gz from "
                    + SOURCE + " into " + dataDir + " and gunzip them, or run with --dataset synthetic");
        }
    }
}
