package spsn.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import spsn.SpsnException;

/** Loads the splits of an SHD-layout dataset (SHD, SSC) from a data folder, as the original's datasets/. */
public final class ShdFiles {

    /** SHD's files (the registry, spsn.data.registry.Datasets, names every dataset's). */
    public static final String TRAIN_FILE = "shd_train.h5";
    public static final String TEST_FILE = "shd_test.h5";

    private ShdFiles() {
    }

    /**
     * Reads every split of {@code layout} from {@code dataDir}, binned by {@code rule} (see
     * {@link BinningRule}); {@code fetchName} (shd, ssc) names the {@code datasets fetch} argument
     * that gets missing files.
     */
    public static TrainTest load(Path dataDir, FileLayout layout, String fetchName, BinningRule rule) {
        Path trainFile = dataDir.resolve(layout.trainFile());
        Path validFile = layout.validFile() == null ? null : dataDir.resolve(layout.validFile());
        Path testFile = dataDir.resolve(layout.testFile());
        requirePresent(trainFile, dataDir, fetchName);
        if (validFile != null) {
            requirePresent(validFile, dataDir, fetchName);
        }
        requirePresent(testFile, dataDir, fetchName);
        SpikeDataset train = ShdReader.read(trainFile, rule, layout.nbChannels());
        SpikeDataset valid = validFile == null ? null : ShdReader.read(validFile, rule, layout.nbChannels());
        SpikeDataset test = ShdReader.read(testFile, rule, layout.nbChannels());
        return new TrainTest(train, valid == null ? null : sameClasses(train, valid, trainFile, validFile),
                sameClasses(train, test, trainFile, testFile));
    }

    /**
     * The other split scored against the training split's classes. Class names are compared as
     * names: the same names in another order would score every sample against the wrong class. A
     * split without /extra/keys is named by its labels "0".."max"; a split that merely lacks the
     * highest classes (a small or filtered split) is fine.
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
     * names come from the test file; the train split is empty and there is no validation split.
     */
    public static TrainTest loadTestOnly(Path dataDir, FileLayout layout, String fetchName, BinningRule rule) {
        Path testFile = dataDir.resolve(layout.testFile());
        requirePresent(testFile, dataDir, fetchName);
        SpikeDataset test = ShdReader.read(testFile, rule, layout.nbChannels());
        SpikeDataset noTrain = new SpikeDataset("no train set (test only)", List.of(), test.nbChannels(),
                test.classNames());
        return new TrainTest(noTrain, null, test);
    }

    private static void requirePresent(Path file, Path dataDir, String fetchName) {
        if (!Files.exists(file) && !Files.isSymbolicLink(file)) {
            throw SpsnException.data(file + " not found: download it with 'datasets fetch " + fetchName + " --data_dir "
                    + dataDir + "' (or add --download True to this command), or run with --dataset synthetic");
        }
    }
}
