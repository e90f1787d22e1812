package spsn.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import spsn.SpsnException;
import spsn.data.Augmenter;
import spsn.data.BatchOrder;
import spsn.data.BinningRule;
import spsn.data.SpikeDataset;
import spsn.data.TrainTest;
import spsn.data.ValidationSplit;
import spsn.data.registry.DatasetSpec;
import spsn.data.registry.Datasets;
import spsn.io.MemoryProbe;
import spsn.io.TorchStateDictWriter;
import spsn.model.ModelFiles;
import spsn.model.Network;
import spsn.model.NetworkConfig;
import spsn.model.NeuronFamily;
import spsn.progress.Format;
import spsn.progress.ProgressDisplay;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One invocation of the tool, as run.py does it: load data, build the network, train
 * {@code nb_epochs} epochs, test once, write the results file (and the model on request).
 *
 * <p>Beyond the original: the run id (unix seconds) is fixed when the run starts and names all
 * of its files; a checkpoint is saved every {@code --checkpoint_every} epochs (and when a stop
 * is requested, at the next batch boundary), from which {@link #resumeFrom} continues exactly;
 * a completed run removes its checkpoint.
 */
public final class TrainingRun {

    private final RunSettings settings;
    private final PrintWriter out;
    private final String toolVersion;
    private BooleanSupplier stop = () -> false;
    private Runnable armStop = () -> { };
    private Checkpoint resume;
    private Path resumeDir;
    /** Whether to warm up while the data loads: yes unless SPSN_NO_WARMUP=1 or {@link #withoutWarmup}. */
    private boolean warmup = !"1".equals(System.getenv("SPSN_NO_WARMUP"));
    private final List<RunLock> locks = new ArrayList<>();
    private DataIdentity dataIdentity;

    public TrainingRun(RunSettings settings, PrintWriter out, String toolVersion) {
        this.settings = settings;
        this.out = out;
        this.toolVersion = toolVersion;
    }

    /** Asked after every training batch: true stops the run there with a checkpoint. */
    public TrainingRun stopWhen(BooleanSupplier stopRequested) {
        this.stop = stopRequested;
        return this;
    }

    /** Stops on SIGINT/SIGTERM; the signal is armed once the run has something to save. */
    public TrainingRun stopWhen(StopSignal signal) {
        this.stop = signal;
        this.armStop = signal::arm;
        return this;
    }

    /**
     * Continues the run saved in {@code checkpoint} rather than starting one; {@link #settings}
     * must be the checkpoint's (only nb_epochs, progress, device, data and output folders may
     * differ). The run's files go to {@code dir}.
     */
    public TrainingRun resumeFrom(Checkpoint checkpoint, Path dir) {
        this.resume = checkpoint;
        this.resumeDir = dir;
        return this;
    }

    /** Trains without the warm-up (see {@link TrainingWarmup}): the first epoch then pays for it. */
    public TrainingRun withoutWarmup() {
        this.warmup = false;
        return this;
    }

    /** Runs everything and returns the results file written. */
    public Path run() {
        try {
            return runLocked();
        } finally {
            locks.forEach(RunLock::close);
            locks.clear();
        }
    }

    private Path runLocked() {
        RunSettings s = settings;
        Path runDir = prepareOutputDir(resume != null ? resumeDir : s.runDir());
        sweepLeftovers(runDir);
        if (resume != null) {
            checkEpochTarget(resume, s.training().nbEpochs());
            lockResumed(runDir);
        }
        long seed = resume != null ? resume.state().seed() : s.training().seed() != null ? s.training().seed()
                : Seeds.draw();
        // a test-only run has no first epoch to spare the warm-up's costs
        TrainTest data = warmup && s.training().nbEpochs() > 0 ? warmup(s).whileLoading(() -> loadData(s, seed))
                : loadData(s, seed);
        HeapTrim.afterLoading();
        dataIdentity = DataIdentity.of(data);
        if (resume != null) {
            checkSameData(resume, data, dataIdentity);
        }
        Device device = Devices.select(s.training().device());
        SpikeDataset train = data.train();
        NetworkConfig config = new NetworkConfig(s.network().neuron(), train.nbChannels(), s.network().hiddenSize(),
                s.network().nbLayers(), train.nbClasses(), s.neuron().tauMem(), s.neuron().tauSyn(), s.neuronOptions());
        RunInfo info = new RunInfo(toolVersion, Devices.describe(device), train.nbChannels(), train.classNames());
        out.printf("%s on %s: %s, %d classes, max duration %d steps, device %s%n", s.network().neuron().cliName(),
                s.data().dataset(), train.size() == 0 ? data.test().size() + " test samples (test only)"
                        : train.size() + " train / " + (data.valid() == null ? "" : data.valid().size()
                                + " validation / ") + data.test().size() + " test samples",
                train.nbClasses(), data.maxDuration(), info.device());
        if (Devices.ownLibtorch()) {
            out.println("Engine: " + Devices.libtorch());
        }

        try (NDManager manager = NDManager.newBaseManager(device);
             Network network = Network.create(manager, config, Seeds.derive(seed, Seeds.INIT, 0));
             Adamax optimizer = new Adamax(manager, s.training().lr(), 0.9, 0.999, 1e-8, s.training().weightDecay(),
                     Adamax.Kernel.JAVA)) {
            long parameters = network.parameters().values().stream().mapToLong(NDArray::size).sum();
            OutputSpace.require(runDir, OutputSpace.estimate(parameters, network.parameters().size(), s,
                    train.nbClasses()));
            if (s.training().nbEpochs() > 0) {
                armStop.run();
            }
            Session session = resume != null ? resumed(runDir, data, network, optimizer)
                    : started(runDir, data, seed, network, optimizer);
            Trainer trainer = new Trainer(network, optimizer, manager, s.training().lossMode(), s.training().regThr(),
                    s.training().regThrR(),
                    s.network().neuron().family().stepLr() ? LearningRateSchedule.paraLif(s.training().lr()) : null);
            return new Loop(session, trainer, data, info).run();
        }
    }

    /** What one run works with, whether started or resumed. */
    private record Session(Path dir, RunState state, CheckpointWriter checkpoints, Network network,
                           Adamax optimizer, Checkpointed last, Checkpoint superseded, boolean[] removedSuperseded) {

        Session(Path dir, RunState state, CheckpointWriter checkpoints, Network network, Adamax optimizer,
                Checkpointed last, Checkpoint superseded) {
            this(dir, state, checkpoints, network, optimizer, last, superseded, new boolean[1]);
        }
    }

    /** The checkpoint currently on disk for the run, if any (for messages). */
    private static final class Checkpointed {
        Path file;
        String at;
    }

    private Session started(Path runDir, TrainTest data, long seed, Network network, Adamax optimizer) {
        RunSettings s = settings;
        if (s.network().loadModel() != null) {
            ModelFiles.loadFile(network, s.network().loadModel());
            out.println("Loaded model " + s.network().loadModel());
        }
        String neuron = s.network().neuron().cliName();
        Checkpointed last = new Checkpointed();
        RunLock lock = RunLock.claimFresh(runDir, neuron);
        locks.add(lock);
        long id = lock.id();
        RunState state = new RunState(id, seed, new RunHistory());
        CheckpointWriter checkpoints = new CheckpointWriter(runDir, neuron, id, 0, toolVersion, dataIdentity);
        Session session = new Session(runDir, state, checkpoints, network, optimizer, last, null);
        if (s.session().checkpointEvery() > 0 && s.training().nbEpochs() > 0) {
            saveCheckpoint(session);
            out.printf("Run %d: checkpoint %s, saved every %d epoch%s%n", id, checkpoints.json(),
                    s.session().checkpointEvery(), s.session().checkpointEvery() == 1 ? "" : "s");
        }
        return session;
    }

    private Session resumed(Path runDir, TrainTest data, Network network, Adamax optimizer) {
        resume.restore(network, optimizer);
        RunState state = resume.state();
        CheckpointWriter checkpoints = new CheckpointWriter(runDir, settings.network().neuron().cliName(),
                state.runId(),
                resume.sequence(), toolVersion, dataIdentity);
        Checkpointed last = new Checkpointed();
        Checkpoint superseded = null;
        if (RunFiles.sameFile(checkpoints.json(), resume.file())) {
            last.file = checkpoints.json();
            last.at = state.describe();
        } else {
            superseded = resume; // renamed or moved: removed once this run saves or completes
        }
        out.printf("Resuming run %d from %s (%s)%n", state.runId(), resume.file(), state.describe());
        return new Session(runDir, state, checkpoints, network, optimizer, last, superseded);
    }

    /**
     * Holds the run id of the checkpoint being resumed, where the checkpoint is and where the
     * run's files go: a second resume of the same checkpoint is refused at once.
     */
    private void lockResumed(Path runDir) {
        String neuron = settings.network().neuron().cliName();
        long id = resume.state().runId();
        String what = "checkpoint " + resume.file();
        locks.add(RunLock.acquire(resume.folder(), neuron, id, what));
        if (!RunFiles.sameFile(resume.folder(), runDir)) {
            locks.add(RunLock.acquire(runDir, neuron, id, "run " + id + " in " + runDir));
        }
    }

    /** Files of earlier runs killed in the middle of a write, in the folders this run uses. */
    private void sweepLeftovers(Path runDir) {
        int removed = Leftovers.sweep(runDir);
        if (resume != null && !RunFiles.sameFile(resume.folder(), runDir)) {
            removed += Leftovers.sweep(resume.folder());
        }
        if (removed > 0) {
            out.println("Note: removed " + removed + " file" + (removed == 1 ? "" : "s")
                    + " left by runs killed while writing (temporary files, unreferenced checkpoint tensors)");
        }
    }

    /** Saves the run as it stands: the first checkpoint of a run writes it new, later ones replace it. */
    private void saveCheckpoint(Session session) {
        CheckpointWriter checkpoints = session.checkpoints();
        if (checkpoints.written() || session.last().file != null) {
            checkpoints.write(settings, session.state(), session.network(), session.optimizer());
        } else if (!checkpoints.writeFirst(settings, session.state(), session.network(), session.optimizer())) {
            throw SpsnException.data("cannot save checkpoint " + checkpoints.json() + ": the file already exists"
                    + " (a copy of this run's checkpoint?); resume that one, or delete it and start this again");
        }
        session.last().file = checkpoints.json();
        session.last().at = session.state().describe();
        removeSuperseded(session);
    }

    /** The checkpoint this run was resumed from under another name: it must not be resumed twice. */
    private void removeSuperseded(Session session) {
        Checkpoint old = session.superseded();
        if (old != null && !session.removedSuperseded()[0]) {
            session.removedSuperseded()[0] = true;
            if (!old.delete()) {
                out.println("Note: could not remove " + old.file() + ", which this run superseded; delete it"
                        + " (resuming it again would repeat the run)");
            }
        }
    }

    /** The epochs, the tests and the files of one run, from wherever its state stands. */
    private final class Loop {

        private final Session session;
        private final Trainer trainer;
        private final TrainTest data;
        private final RunInfo info;
        private final RunState state;
        private final ProgressDisplay display;
        /** The bar over the epochs, the original's tqdm bar (none in a test-only run). */
        private ProgressDisplay.Bar epochs;

        Loop(Session session, Trainer trainer, TrainTest data, RunInfo info) {
            this.display = ProgressDisplay.create(settings.session().progress(), out);
            this.session = session;
            this.trainer = trainer;
            this.data = data;
            this.info = info;
            this.state = session.state();
        }

        Path run() {
            try {
                return trainAndTest();
            } finally {
                if (epochs != null) {
                    epochs.close(); // stopped or failed: its last state stays above the message
                }
            }
        }

        private Path trainAndTest() {
            RunSettings s = settings;
            SpikeDataset train = data.train();
            RunHistory history = state.history();
            long seed = state.seed();
            BatchOrder order = new BatchOrder(train.size(), s.training().batchSize(), true, Seeds.derive(seed,
                    Seeds.SHUFFLE, 0));
            Augmenter augmenter = s.augmentation().enabled() ? new Augmenter(s.augmentation().shift(),
                    s.augmentation().scale()) : null;
            int nb = s.training().nbEpochs();
            epochs = nb > 0 ? display.bar("Train " + nb + " epochs", "epoch", nb, state.epochsDone(), true) : null;
            while (state.epochsDone() < nb) {
                if (stop.getAsBoolean()) {
                    throw interrupted();
                }
                int epoch = state.epochsDone();
                String task = String.format("Epoch %d/%d", epoch + 1, nb);
                EpochProgress progress;
                try {
                    progress = trainer.trainEpoch(train, order, epoch, augmenter, seed, display, task,
                            state.epoch(), stop);
                } catch (NonFiniteLossException e) {
                    throw e.withNote(session.last().file == null
                            ? "no checkpoint was saved" + (s.session().checkpointEvery() == 0
                                    ? " (--checkpoint_every 0)" : "")
                            : "the last checkpoint, " + session.last().file + " (" + session.last().at + "), is kept");
                }
                if (!progress.complete()) {
                    state.at(epoch, progress);
                    throw interrupted();
                }
                EpochResult result = progress.result();
                history.addEpoch(result);
                display.println(String.format(Locale.ROOT, "Epoch %d/%d  loss %.5f  train accuracy %.4f  %.1f s",
                        epoch + 1, nb, result.loss(), result.accuracy(), result.seconds()));
                if (data.valid() != null) {
                    validate(epoch + 1, nb);
                }
                if (s.training().testEvery() > 0 && (epoch + 1) % s.training().testEvery() == 0 && epoch + 1 < nb) {
                    TestResult interim = trainer.test(data.test(), s.training().batchSize(), Seeds.derive(seed,
                            Seeds.TEST_NOISE,
                            epoch + 1), display, false);
                    history.testEveryEpochs.add(epoch + 1);
                    history.testAccuracyHist.add(interim.accuracy());
                    display.println(String.format(Locale.ROOT, "Epoch %d/%d  test accuracy %.4f", epoch + 1, nb,
                            interim.accuracy()));
                }
                state.at(epoch + 1, EpochProgress.START);
                writeMetrics(null);
                epochs.step(String.format(Locale.ROOT, "loss=%.4f, acc=%.3f", result.loss(), result.accuracy()));
                if (s.session().checkpointEvery() > 0 && ((epoch + 1) % s.session().checkpointEvery() == 0 || epoch
                        + 1 == nb)) {
                    saveCheckpoint();
                }
            }
            if (epochs != null) {
                epochs.close(); // before the test's bar, as the original's tqdm bars follow each other
            }
            if (nb > 0 && stop.getAsBoolean()) {
                throw interrupted();
            }
            if (s.validation().select() == ModelSelection.BEST && state.bestEpoch() > 0) {
                selectBest();
            }
            TestResult test = trainer.test(data.test(), s.training().batchSize(), seed, display, true);
            if (s.training().testEvery() > 0) {
                history.testEveryEpochs.add(nb);
                history.testAccuracyHist.add(test.accuracy());
            }
            out.printf(Locale.ROOT, "Test accuracy %.4f  (%.1f s)  spikes per layer %s  peak memory (RSS) %.0f MiB%n",
                    test.accuracy(), test.seconds(), Format.spikes(test.nbSpikes()), MemoryProbe.peakRssMiB());
            return finish(test);
        }

        /** Evaluates the validation set after {@code epoch} and keeps the parameters if they are the best. */
        private void validate(int epoch, int nb) {
            RunSettings s = settings;
            RunHistory history = state.history();
            TestResult valid = trainer.test(data.valid(), s.training().batchSize(), Seeds.derive(state.seed(),
                    Seeds.VALID_NOISE,
                    epoch), display, false, "Validation");
            history.addValidation(valid);
            boolean best = history.bestValidEpoch() == epoch;
            display.println(String.format(Locale.ROOT, "Epoch %d/%d  validation accuracy %.4f  loss %.5f%s", epoch, nb,
                    valid.accuracy(), valid.loss(),
                    best && s.validation().select() == ModelSelection.BEST ? "  (best so far: kept)" : ""));
            if (best && s.validation().select() == ModelSelection.BEST) {
                state.keepBest(epoch, ModelFiles.toStateDict(session.network()));
            }
        }

        /** Puts the kept parameters of the best validation epoch back for the test and the model file. */
        private void selectBest() {
            ModelFiles.load(session.network(), state.bestParameters(), "the parameters of epoch " + state.bestEpoch());
            RunHistory h = state.history();
            out.printf(Locale.ROOT, "Selected epoch %d of %d (validation accuracy %.4f), its parameters are tested%s%n",
                    state.bestEpoch(), h.epochsDone(), h.validAccuracies.get(state.bestEpoch() - 1),
                    settings.output().saveModel() ? " and saved" : "");
        }

        /** The per-epoch CSV under the run's id, rewritten from the history (none for a test-only run). */
        private Path writeMetrics(TestResult finalTest) {
            return writeMetrics(finalTest, state.runId());
        }

        private Path writeMetrics(TestResult finalTest, long id) {
            if (state.history().epochsDone() == 0) {
                return null;
            }
            Path file = session.dir().resolve(RunFiles.metrics(settings.network().neuron().cliName(), id));
            Double last = finalTest != null && settings.training().testEvery() == 0 ? finalTest.accuracy() : null;
            try {
                MetricsFile.write(file, state.history(), trainer::learningRate, last);
                return file;
            } catch (SpsnException e) {
                // A convenience copy of the history (which the checkpoint and results hold): a
                // full disk here must not stop the run; the next epoch rewrites it whole.
                display.println("Note: " + e.getMessage() + " (the metrics CSV; training goes on)");
                return null;
            }
        }

        private void saveCheckpoint() {
            TrainingRun.this.saveCheckpoint(session);
        }

        /** Saves the checkpoint and the partial results, and says how to continue (exit 130). */
        private RunInterruptedException interrupted() {
            String neuron = settings.network().neuron().cliName();
            long id = RunFiles.finalId(session.dir(), neuron, state.runId(), false, state.partialResults());
            String partialName = RunFiles.results(neuron, id);
            boolean replace = partialName.equals(state.partialResults())
                    && Files.exists(session.dir().resolve(partialName));
            state.partialResults(partialName);
            saveCheckpoint();
            Path partial = session.dir().resolve(partialName);
            Map<String, Object> content = ResultsFile.content(settings, info, state.seed(), state.history(), null, true);
            if (replace) {
                ResultsFile.replace(partial, content);
            } else {
                ResultsFile.write(partial, content);
            }
            Path checkpoint = session.checkpoints().json();
            display.println("Stopped (" + state.describe() + "). Checkpoint: " + checkpoint + "  Partial results: "
                    + partial);
            return new RunInterruptedException("interrupted with " + state.describe() + "; saved " + checkpoint
                    + " and partial results " + partial + "; continue with --resume " + checkpoint);
        }

        private Path finish(TestResult test) {
            try {
                return writeFiles(test);
            } catch (RunInterruptedException e) {
                throw e;
            } catch (SpsnException e) {
                throw keptForLater(e);
            }
        }

        private Path writeFiles(TestResult test) {
            RunSettings s = settings;
            Path dir = session.dir();
            String neuron = s.network().neuron().cliName();
            String ownPartial = state.partialResults();
            long id = RunFiles.finalId(dir, neuron, state.runId(), s.output().saveModel(), ownPartial);
            if (id != state.runId()) {
                out.println("Note: files named with run id " + state.runId() + " exist; this run's files use " + id);
            }
            if (s.output().saveModel()) {
                Path model = dir.resolve(RunFiles.model(neuron, id));
                TorchStateDictWriter.write(model, ModelFiles.toStateDict(session.network()));
                out.println("Model: " + model);
            }
            String resultsName = RunFiles.results(neuron, id);
            Path results = dir.resolve(resultsName);
            Map<String, Object> content = ResultsFile.content(s, info, state.seed(), state.history(), test, false);
            if (resultsName.equals(ownPartial) && Files.exists(results)) {
                ResultsFile.replace(results, content);
            } else {
                ResultsFile.write(results, content);
                removeOwnPartial(dir, ownPartial);
            }
            out.println("Results: " + results);
            Path metrics = writeMetrics(test, id);
            if (metrics != null) {
                out.println("Metrics: " + metrics);
                if (id != state.runId()) {
                    removeQuietly(dir.resolve(RunFiles.metrics(neuron, state.runId())));
                }
            }
            if (session.last().file != null && !session.checkpoints().delete()) {
                out.println("Note: could not remove checkpoint " + session.checkpoints().json());
            }
            removeSuperseded(session);
            return results;
        }

        /**
         * The results or model could not be written after training (e.g. the disk filled up):
         * the trained state goes into a checkpoint, in the run's folder or, when that fails too,
         * in a new folder under the system's temporary folder, and the message says how to
         * finish the run from it (the resume tests again, with the same numbers, and writes).
         */
        private SpsnException keptForLater(SpsnException failure) {
            RunSettings s = settings;
            if (s.training().testEvery() > 0) {
                // the final test is appended to the history again when the resumed run tests
                state.history().testEveryEpochs.remove(state.history().testEveryEpochs.size() - 1);
                state.history().testAccuracyHist.remove(state.history().testAccuracyHist.size() - 1);
            }
            String resume;
            try {
                saveCheckpoint();
                resume = "--resume " + session.checkpoints().json();
            } catch (SpsnException inRunFolder) {
                try {
                    Path elsewhere = Files.createTempDirectory("spsn-kept-");
                    CheckpointWriter kept = new CheckpointWriter(elsewhere, s.network().neuron().cliName(),
                            state.runId(), 0,
                            toolVersion, dataIdentity);
                    kept.writeFirst(s, state, session.network(), session.optimizer());
                    resume = "--resume " + kept.json() + " --output_dir " + s.session().outputDir();
                } catch (IOException | SpsnException lost) {
                    return SpsnException.data(failure.getMessage() + "; no checkpoint of the trained run could be"
                            + " saved either (" + lost.getMessage() + ")", failure);
                }
            }
            return SpsnException.data(failure.getMessage() + "; the trained run (" + state.describe()
                    + ") is kept: free space, then finish it with " + resume, failure);
        }

        private void removeQuietly(Path file) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                out.println("Note: could not remove " + file);
            }
        }

        /** An earlier partial results file of this run, superseded by the results just written. */
        private void removeOwnPartial(Path dir, String ownPartial) {
            if (ownPartial == null) {
                return;
            }
            Path file = dir.resolve(ownPartial);
            if (RunFiles.isPartialResults(file)) {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    out.println("Note: could not remove superseded partial results " + file);
                }
            }
        }
    }

    private static void checkEpochTarget(Checkpoint checkpoint, int nbEpochs) {
        RunState state = checkpoint.state();
        int least = state.epochsDone() + (state.epoch().nextBatch() > 0 ? 1 : 0);
        if (nbEpochs < least) {
            throw SpsnException.usage("--nb_epochs " + nbEpochs + ": checkpoint " + checkpoint.file() + " has "
                    + state.describe() + "; give at least " + least);
        }
    }

    private void checkSameData(Checkpoint checkpoint, TrainTest data, DataIdentity now) {
        checkpoint.data().requireSame(now, data, checkpoint.file());
        if (!checkpoint.data().hasFingerprints()) {
            out.println("Warning: checkpoint " + checkpoint.file() + " has no data fingerprints (an earlier version"
                    + " wrote it): only the sample counts could be checked against the data");
        }
    }

    /** The warm-up of a network of this run's shape, while the data loads (see {@link TrainingWarmup}). */
    private static TrainingWarmup warmup(RunSettings s) {
        DatasetSpec dataset = Datasets.byName("--dataset", s.data().dataset());
        NetworkConfig config = new NetworkConfig(s.network().neuron(), dataset.nbChannels(), s.network().hiddenSize(),
                s.network().nbLayers(), dataset.nbClasses(), s.neuron().tauMem(), s.neuron().tauSyn(),
                s.neuronOptions());
        return new TrainingWarmup(config, s.training().batchSize(), s.training().device(),
                new Objective(s.training().lossMode(), s.training().regThr(), s.training().regThrR()));
    }

    private static TrainTest loadData(RunSettings s, long seed) {
        // the neuron's own code's rule: SPSN's ceil, ParaLIF's floor, over --window_size (1 ms)
        double window = s.data().windowSize();
        BinningRule rule = s.network().neuron().family() == NeuronFamily.PARALIF ? BinningRule.paralif(window)
                : new BinningRule(BinningRule.Rounding.CEIL, window);
        DatasetSpec dataset = Datasets.byName("--dataset", s.data().dataset());
        if (s.training().nbEpochs() == 0) {
            // A test-only run (--load_model, --nb_epochs 0) needs nothing from the train file.
            return dataset.loadTestOnly(s.data().dataDir(), rule, seed, s.data().syntheticTrain(),
                    s.data().syntheticTest());
        }
        TrainTest data = dataset.load(s.data().dataDir(), rule, seed, s.data().syntheticTrain(),
                s.data().syntheticTest());
        double fraction = s.validation().fraction();
        if (fraction > 0) {
            try {
                data = ValidationSplit.carve(data, fraction, Seeds.derive(seed, Seeds.VALID_SPLIT, 0));
            } catch (IllegalArgumentException e) {
                throw SpsnException.usage("--valid_fraction " + fraction + ": " + e.getMessage());
            }
        }
        return data;
    }

    /** Creates the output folder and proves it writable before any training time is spent. */
    static Path prepareOutputDir(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
            Files.delete(probe);
            return dir;
        } catch (IOException | SecurityException e) {
            throw SpsnException.data("output folder " + dir + " is not writable (" + describe(e)
                    + "); choose another with --output_dir or fix its permissions");
        }
    }

    private static String describe(Exception e) {
        if (e instanceof FileAlreadyExistsException) {
            return "a file is in the way: " + e.getMessage();
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getFile() == null ? fs.getReason() : fs.getFile() + ": " + fs.getReason();
        }
        return e.getClass().getSimpleName();
    }
}
