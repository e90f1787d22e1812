package spsn.data.registry;

import java.nio.file.Path;
import java.util.List;
import spsn.SpsnException;
import spsn.data.BinningRule;
import spsn.data.FileLayout;
import spsn.data.ShdFiles;
import spsn.data.SpikeDataset;
import spsn.data.SyntheticDataset;
import spsn.data.TrainTest;

/**
 * A dataset a run can train on: its name on the command line, where its splits come from, and
 * its shape. Everything that depends on the dataset (the network's input and output sizes, the
 * augmentation width, the raster's height, the fetch command) reads it from here or from the
 * loaded data, never from a constant.
 *
 * @param name the {@code --dataset} value, also PARAMS.dataset in results (e.g. heidelberg)
 * @param aliases other accepted spellings (e.g. shd)
 * @param title what it is, for listings and reports
 * @param fetchName the argument of {@code datasets fetch}, or null for a generated set
 * @param files its files in the data folder, or null for a generated set
 * @param nbChannels input channels
 * @param nbClasses classes; a file may use fewer (small test files), never more
 * @param sizes the published sample counts of train, validation (0: no such split) and test
 */
public record DatasetSpec(String name, List<String> aliases, String title, String fetchName, FileLayout files,
                          int nbChannels, int nbClasses, Sizes sizes) {

    /** Samples per split. */
    public record Sizes(int train, int valid, int test) {
    }

    public boolean generated() {
        return files == null;
    }

    /** Whether the dataset comes with its own validation split (SSC does, SHD does not). */
    public boolean hasValidSplit() {
        return sizes.valid() > 0;
    }

    /**
     * Loads the splits: read from {@code dataDir} and binned by {@code rule}, or generated from {@code seed} with
     * {@code syntheticTrain} training and {@code syntheticTest} test samples (and as many
     * validation samples as test samples, for a generated set with a validation split).
     */
    public TrainTest load(Path dataDir, BinningRule rule, long seed, int syntheticTrain, int syntheticTest) {
        if (generated()) {
            return SyntheticDataset.generate(name, seed, nbClasses, syntheticTrain,
                    hasValidSplit() ? syntheticTest : 0, syntheticTest);
        }
        TrainTest data = ShdFiles.load(dataDir, files, fetchName, rule);
        checkClasses(data.train());
        return data;
    }

    /**
     * The test split alone, for a run that only tests a saved model (see
     * {@link ShdFiles#loadTestOnly}); a generated set is generated whole, as it costs little.
     */
    public TrainTest loadTestOnly(Path dataDir, BinningRule rule, long seed, int syntheticTrain, int syntheticTest) {
        if (generated()) {
            return load(dataDir, rule, seed, syntheticTrain, syntheticTest);
        }
        TrainTest data = ShdFiles.loadTestOnly(dataDir, files, fetchName, rule);
        checkClasses(data.test());
        return data;
    }

    private void checkClasses(SpikeDataset train) {
        if (train.nbClasses() > nbClasses) {
            throw SpsnException.data(train.name() + ": has " + train.nbClasses() + " classes but " + title + " has "
                    + nbClasses + "; is it another dataset's file? choose that one with --dataset ("
                    + Datasets.names() + ")");
        }
    }
}
