package spsn.data;

import java.nio.file.Files;
import java.nio.file.Path;
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
        if (train.nbClasses() != test.nbClasses()) {
            throw SpsnException.data(testFile + ": has " + test.nbClasses() + " classes but " + trainFile
                    + " has " + train.nbClasses() + "; both splits must come from the same dataset");
        }
        return new TrainTest(train, test);
    }

    private static void requirePresent(Path file, Path dataDir) {
        if (!Files.exists(file)) {
            throw SpsnException.data(file + " not found: download shd_train.h5.gz and shd_test.h5.gz from "
                    + SOURCE + " into " + dataDir + " and gunzip them, or run with --dataset synthetic");
        }
    }
}
