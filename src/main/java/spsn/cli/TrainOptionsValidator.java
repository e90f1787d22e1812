package spsn.cli;

import spsn.SpsnException;
import spsn.model.NetworkSize;
import spsn.model.NeuronType;
import spsn.train.LossMode;
import spsn.train.RunSettings;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** Checks every flag value and turns the options into {@link RunSettings}; errors name the flag. */
final class TrainOptionsValidator {

    private static final Set<String> DATASETS = Set.of("heidelberg", "synthetic");
    /** What may change when a run is resumed: nothing that changes its numbers on the same device. */
    static final List<String> RESUME_FLAGS = List.of("--nb_epochs", "--progress", "--device", "--data_dir",
            "--output_dir", "--checkpoint_every");
    /** Flags that are not settings of the run at all. */
    private static final Set<String> NOT_SETTINGS = Set.of("--resume", "--verbose", "--help", "--version");

    private TrainOptionsValidator() {
    }

    static RunSettings validate(TrainOptions o) {
        if (!DATASETS.contains(o.dataset)) {
            throw SpsnException.usage("--dataset: unknown dataset '" + o.dataset + "'; choose heidelberg or synthetic");
        }
        NeuronType neuron = NeuronType.fromCliName(o.neuron);
        LossMode lossMode = LossMode.fromCliName(o.lossMode);
        if (o.nbEpochs < 0 || (o.nbEpochs == 0 && o.loadModel == null)) {
            throw SpsnException.usage("--nb_epochs: must be a positive number of epochs, got " + o.nbEpochs
                    + " (0 is allowed only with --load_model, to test a saved model)");
        }
        positive("--batch_size", o.batchSize);
        positive("--hidden_size", o.hiddenSize);
        positive("--nb_layers", o.nbLayers);
        positive("--synthetic_train", o.syntheticTrain);
        positive("--synthetic_test", o.syntheticTest);
        positiveReal("--tau_mem", o.tauMem);
        positiveReal("--tau_syn", o.tauSyn);
        fraction("--h_shift", o.hShift);
        fraction("--scale", o.scale);
        if (!(o.regThr >= 0) || Double.isInfinite(o.regThr)) {
            throw SpsnException.usage("--reg_thr: must be 0 (off) or a positive number, got " + o.regThr);
        }
        if (o.checkpointEvery < 0) {
            throw SpsnException.usage("--checkpoint_every: must be 0 (only when stopped) or a positive number of"
                    + " epochs, got " + o.checkpointEvery);
        }
        if (o.testEvery < 0) {
            throw SpsnException.usage("--test_every: must be 0 (off) or a positive number of epochs, got " + o.testEvery);
        }
        FlagRules.device(o.device);
        if (o.nbEpochs > 0) {
            NetworkSize.requireMemory(o.hiddenSize, o.nbLayers, o.batchSize);
        }
        NetworkSize.check(o.hiddenSize, o.nbLayers);
        if (!o.dir.isEmpty() && (o.dir.startsWith("/") || o.dir.contains(".."))) {
            throw SpsnException.usage("--dir: '" + o.dir + "' must be a relative sub-folder such as basic/");
        }
        return new RunSettings(o.seed, o.dataset, neuron, o.nbEpochs, o.tauMem, o.tauSyn, o.batchSize,
                o.hiddenSize, o.nbLayers, o.regThr, lossMode, o.dataAugmentation, o.hShift, o.scale, o.dir,
                o.saveModel, o.dataDir, o.outputDir, o.device, o.syntheticTrain, o.syntheticTest, o.loadModel,
                o.testEvery, o.progress, o.checkpointEvery);
    }

    /**
     * Refuses, before anything is read, the flags a resumed run cannot take: it keeps the
     * settings saved in its checkpoint ({@code given} tells which flags the command line has).
     */
    static void checkResumeFlags(List<String> given) {
        for (String flag : given) {
            if (!RESUME_FLAGS.contains(flag) && !NOT_SETTINGS.contains(flag)) {
                throw SpsnException.usage(flag + " cannot be given with --resume: a resumed run keeps the settings"
                        + " saved in its checkpoint; only " + String.join(", ", RESUME_FLAGS) + " may change");
            }
        }
    }

    /** The saved settings of a resumed run, with the flags of {@link #RESUME_FLAGS} that were given. */
    static RunSettings resumed(RunSettings saved, TrainOptions given, Predicate<String> isGiven) {
        TrainOptions o = options(saved);
        if (isGiven.test("--nb_epochs")) {
            o.nbEpochs = given.nbEpochs;
        }
        if (isGiven.test("--progress")) {
            o.progress = given.progress;
        }
        if (isGiven.test("--device")) {
            o.device = given.device;
        }
        if (isGiven.test("--data_dir")) {
            o.dataDir = given.dataDir;
        }
        if (isGiven.test("--output_dir")) {
            o.outputDir = given.outputDir;
        }
        if (isGiven.test("--checkpoint_every")) {
            o.checkpointEvery = given.checkpointEvery;
        }
        return validate(o);
    }

    /** Settings back as options, so that a resumed run's are checked like any other. */
    private static TrainOptions options(RunSettings s) {
        TrainOptions o = new TrainOptions();
        o.seed = s.seed();
        o.dataset = s.dataset();
        o.neuron = s.neuron().cliName();
        o.nbEpochs = s.nbEpochs();
        o.tauMem = s.tauMem();
        o.tauSyn = s.tauSyn();
        o.batchSize = s.batchSize();
        o.hiddenSize = s.hiddenSize();
        o.nbLayers = s.nbLayers();
        o.regThr = s.regThr();
        o.lossMode = s.lossMode().cliName();
        o.dataAugmentation = s.dataAugmentation();
        o.hShift = s.hShift();
        o.scale = s.scale();
        o.dir = s.dir();
        o.saveModel = s.saveModel();
        o.dataDir = s.dataDir();
        o.outputDir = s.outputDir();
        o.device = s.device();
        o.syntheticTrain = s.syntheticTrain();
        o.syntheticTest = s.syntheticTest();
        o.loadModel = s.loadModel();
        o.testEvery = s.testEvery();
        o.progress = s.progress();
        o.checkpointEvery = s.checkpointEvery();
        return o;
    }

    private static void positive(String flag, int value) {
        FlagRules.positive(flag, value);
    }

    private static void positiveReal(String flag, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw SpsnException.usage(flag + ": must be a positive number of seconds, got " + value);
        }
    }

    private static void fraction(String flag, double value) {
        if (!(value >= 0 && value < 1)) {
            throw SpsnException.usage(flag + ": must be in [0, 1), got " + value);
        }
    }
}
