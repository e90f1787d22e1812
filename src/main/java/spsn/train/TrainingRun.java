package spsn.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import spsn.SpsnException;
import spsn.data.Augmenter;
import spsn.data.BatchOrder;
import spsn.data.ShdFiles;
import spsn.data.SpikeDataset;
import spsn.data.SyntheticDataset;
import spsn.data.TrainTest;
import spsn.io.StateDict;
import spsn.io.TorchStateDictReader;
import spsn.io.TorchStateDictWriter;
import spsn.model.ModelFiles;
import spsn.model.Network;
import spsn.model.NetworkConfig;
import spsn.neuron.NoiseSource;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * One invocation of the tool, as run.py does it: load data, build the network, train
 * {@code nb_epochs} epochs, test once, write the results file (and the model on request).
 */
public final class TrainingRun {

    private final RunSettings settings;
    private final PrintStream out;
    private final String toolVersion;

    public TrainingRun(RunSettings settings, PrintStream out, String toolVersion) {
        this.settings = settings;
        this.out = out;
        this.toolVersion = toolVersion;
    }

    /** Runs everything and returns the results file written. */
    public Path run() {
        RunSettings s = settings;
        long seed = s.seed() != null ? s.seed() : new SecureRandom().nextLong();
        Path runDir = prepareOutputDir(s.runDir());
        TrainTest data = loadData(s, seed);
        Device device = Devices.select(s.device());
        SpikeDataset train = data.train();
        NetworkConfig config = new NetworkConfig(s.neuron(), train.nbChannels(), s.hiddenSize(), s.nbLayers(),
                train.nbClasses(), s.tauMem(), s.tauSyn());
        RunInfo info = new RunInfo(toolVersion, device.toString(), train.nbChannels(), train.classNames());
        out.printf("%s on %s: %d train / %d test samples, %d classes, max duration %d steps, device %s%n",
                s.neuron().cliName(), s.dataset(), train.size(), data.test().size(), train.nbClasses(),
                data.maxDuration(), device);

        try (NDManager manager = NDManager.newBaseManager(device);
             Network network = Network.create(manager, config, Seeds.derive(seed, Seeds.INIT, 0));
             Adamax optimizer = Adamax.withDefaults(manager)) {
            if (s.loadModel() != null) {
                StateDict dict = TorchStateDictReader.read(s.loadModel());
                ModelFiles.load(network, dict, s.loadModel().toString());
                out.println("Loaded model " + s.loadModel());
            }
            Trainer trainer = new Trainer(network, optimizer, manager, s.lossMode(), s.regThr(), NoiseSource.engine());
            RunHistory history = new RunHistory();
            BatchOrder order = new BatchOrder(train.size(), s.batchSize(), true, Seeds.derive(seed, Seeds.SHUFFLE, 0));
            Augmenter augmenter = s.dataAugmentation() ? new Augmenter(s.hShift(), s.scale()) : null;
            for (int epoch = 0; epoch < s.nbEpochs(); epoch++) {
                String task = String.format("Epoch %d/%d", epoch + 1, s.nbEpochs());
                EpochResult result = trainer.trainEpoch(train, order, epoch, augmenter, seed, s.progress(), task);
                history.addEpoch(result);
                out.printf("Epoch %d/%d  loss %.5f  train accuracy %.4f  %.1f s%n", epoch + 1, s.nbEpochs(),
                        result.loss(), result.accuracy(), result.seconds());
                if (s.testEvery() > 0 && (epoch + 1) % s.testEvery() == 0 && epoch + 1 < s.nbEpochs()) {
                    TestResult interim = trainer.test(data.test(), s.batchSize(), Seeds.derive(seed, Seeds.TEST_NOISE,
                            epoch + 1), s.progress());
                    history.testEveryEpochs.add(epoch + 1);
                    history.testAccuracyHist.add(interim.accuracy());
                    out.printf("Epoch %d/%d  test accuracy %.4f%n", epoch + 1, s.nbEpochs(), interim.accuracy());
                }
            }
            TestResult test = trainer.test(data.test(), s.batchSize(), seed, s.progress());
            if (s.testEvery() > 0) {
                history.testEveryEpochs.add(s.nbEpochs());
                history.testAccuracyHist.add(test.accuracy());
            }
            out.printf("Test accuracy %.4f  (%.1f s)  spikes per layer %s%n", test.accuracy(), test.seconds(),
                    test.nbSpikes());
            long runId = freeRunId(runDir, s);
            Path results = runDir.resolve("results_" + s.neuron().cliName() + "_" + runId + ".json");
            ResultsFile.write(results, ResultsFile.content(s, info, history, test, false));
            out.println("Results: " + results);
            if (s.saveModel()) {
                Path model = runDir.resolve("model_" + s.neuron().cliName() + "_" + runId + ".pt");
                TorchStateDictWriter.write(model, ModelFiles.toStateDict(network));
                out.println("Model: " + model);
            }
            return results;
        }
    }

    private static TrainTest loadData(RunSettings s, long seed) {
        if (s.dataset().equals("synthetic")) {
            return SyntheticDataset.generate(seed, s.syntheticTrain(), s.syntheticTest());
        }
        return ShdFiles.load(s.dataDir());
    }

    /** Creates the output folder and proves it writable before any training time is spent. */
    static Path prepareOutputDir(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
            Files.delete(probe);
            return dir;
        } catch (IOException | SecurityException e) {
            throw SpsnException.data("output folder " + dir + " is not writable (" + e.getClass().getSimpleName()
                    + "); choose another with --output_dir or fix its permissions");
        }
    }

    /** Unix seconds, moved forward if a file of this run's name already exists (never overwrite). */
    private static long freeRunId(Path dir, RunSettings s) {
        long id = System.currentTimeMillis() / 1000;
        String neuron = s.neuron().cliName();
        while (Files.exists(dir.resolve("results_" + neuron + "_" + id + ".json"))
                || Files.exists(dir.resolve("model_" + neuron + "_" + id + ".pt"))) {
            id++;
        }
        return id;
    }
}
