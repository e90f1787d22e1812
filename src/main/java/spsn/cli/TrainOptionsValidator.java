package spsn.cli;

import spsn.SpsnException;
import spsn.data.registry.DatasetSpec;
import spsn.data.registry.Datasets;
import spsn.model.NetworkSize;
import spsn.model.NeuronFamily;
import spsn.model.NeuronType;
import spsn.neuron.spike.Surrogate;
import spsn.train.ParaLifFlags;
import spsn.train.LossMode;
import spsn.train.ModelSelection;
import spsn.train.RunSettings;
import spsn.train.ValidationSettings;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** Checks every flag value and turns the options into {@link RunSettings}; errors name the flag. */
final class TrainOptionsValidator {

    /** What may change when a run is resumed: nothing that changes its numbers on the same device. */
    static final List<String> RESUME_FLAGS = List.of("--nb_epochs", "--progress", "--device", "--data_dir",
            "--output_dir", "--checkpoint_every");
    /** Flags that are not settings of the run at all. */
    private static final Set<String> NOT_SETTINGS = Set.of("--resume", "--verbose", "--help", "--version",
            "--download");

    private TrainOptionsValidator() {
    }

    static RunSettings validate(TrainOptions o) {
        DatasetSpec spec = Datasets.byName("--dataset", o.dataset);
        String dataset = spec.name();
        ValidationSettings validation = validation(o, spec);
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
        if (o.shift != null && o.hShift != null && !o.shift.equals(o.hShift)) {
            throw SpsnException.usage("--shift and --h_shift are one setting (ParaLIF's and SPSN's names); give one");
        }
        NeuronFamily family = neuron.family();
        double shift = o.shift != null ? o.shift : o.hShift != null ? o.hShift : family.defaultShift();
        double scale = o.scale != null ? o.scale : family.defaultScale();
        fraction(o.shift != null ? "--shift" : "--h_shift", shift);
        fraction("--scale", scale);
        nonNegative("--reg_thr", o.regThr);
        nonNegative("--reg_thr_r", o.regThrR);
        nonNegative("--weight_decay", o.weightDecay);
        if (!(o.lr > 0) || Double.isInfinite(o.lr)) {
            throw SpsnException.usage("--lr: must be a positive number, got " + o.lr);
        }
        if (o.spkThreshold != null && !Double.isFinite(o.spkThreshold)) {
            throw SpsnException.usage("--spk_threshold: must be a finite number, got " + o.spkThreshold);
        }
        Surrogate.Kind surrogate = Surrogate.Kind.byName(o.surrogate);
        if (surrogate == null) {
            throw SpsnException.usage("--surrogate: unknown surrogate '" + o.surrogate + "'; choose fastsig or atan");
        }
        if (o.surrogateScale != null && !(o.surrogateScale > 0 && Double.isFinite(o.surrogateScale))) {
            throw SpsnException.usage("--surrogate_scale: must be a positive number, got " + o.surrogateScale);
        }
        if (!(o.windowSize > 0) || Double.isInfinite(o.windowSize)) {
            throw SpsnException.usage("--window_size: must be a positive number of seconds, got " + o.windowSize);
        }
        if (o.recurrentRelu && !o.recurrent) {
            throw SpsnException.usage("--recurrent_relu: only with --recurrent (it chooses what the recurrence feeds back)");
        }
        if (!neuron.spiking() && (o.recurrent || o.learnTau)) {
            throw SpsnException.usage((o.recurrent ? "--recurrent" : "--learn_tau")
                    + ": Non-Spiking has no time dynamics; choose a spiking neuron");
        }
        if (o.perNeuron && neuron.dynamics() != NeuronType.Dynamics.PARALLEL) {
            throw SpsnException.usage("--per_neuron: only for parallel neurons (SPSN-SB, SPSN-GS, ParaLIF-*), not "
                    + neuron.cliName());
        }
        ParaLifFlags paraLif = new ParaLifFlags(o.learnTau, o.recurrent, o.recurrentRelu, o.regThrR, o.lr,
                o.weightDecay, o.spkThreshold, o.surrogate, o.surrogateScale, o.bestConfig, o.windowSize,
                o.perNeuron);
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
        return new RunSettings(o.seed, dataset, neuron, o.nbEpochs, o.tauMem, o.tauSyn, o.batchSize,
                o.hiddenSize, o.nbLayers, o.regThr, lossMode, o.dataAugmentation, shift, scale, o.dir,
                o.saveModel, o.dataDir, o.outputDir, o.device, o.syntheticTrain, o.syntheticTest, o.loadModel,
                o.testEvery, o.progress, o.checkpointEvery, paraLif, validation);
    }

    /**
     * A new run's settings: ParaLIF's --best_config first (for heidelberg, as its run.py: it
     * overrides the flags it sets), then {@link #validate}. A resumed run's saved settings already
     * hold its effect.
     */
    static RunSettings validateNew(TrainOptions o) {
        if (o.bestConfig && "heidelberg".equals(o.dataset)) {
            o.nbLayers = o.recurrent ? 1 : 3;
            o.hiddenSize = o.recurrent ? 256 : 128;
            o.windowSize = 1e-3;
            o.dir = "heidelberg/" + (o.recurrent ? "recurrent" : "feedforward") + "/" + o.neuron + "/";
            o.batchSize = 64;
            o.nbEpochs = 200;
            o.dataAugmentation = true;
            o.saveModel = true;
        }
        return validate(o);
    }

    private static ValidationSettings validation(TrainOptions o, DatasetSpec spec) {
        ModelSelection select = ModelSelection.fromCliName(o.select);
        if (!(o.validFraction >= 0 && o.validFraction < 1)) {
            throw SpsnException.usage("--valid_fraction: must be in [0, 1), got " + o.validFraction);
        }
        if (o.validFraction > 0 && spec.hasValidSplit()) {
            throw SpsnException.usage("--valid_fraction: " + spec.name() + " has its own validation split, which"
                    + " the run uses; leave --valid_fraction out");
        }
        if (select == ModelSelection.BEST && o.validFraction == 0 && !spec.hasValidSplit()) {
            throw SpsnException.usage("--select best needs a validation set: give --valid_fraction (e.g. 0.1) or use a"
                    + " dataset with its own validation split (ssc)");
        }
        return new ValidationSettings(o.validFraction, select);
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
        ParaLifFlags p = s.paraLif();
        o.learnTau = p.learnTau();
        o.recurrent = p.recurrent();
        o.recurrentRelu = p.recurrentRelu();
        o.regThrR = p.regThrR();
        o.lr = p.lr();
        o.weightDecay = p.weightDecay();
        o.spkThreshold = p.spkThreshold();
        o.surrogate = p.surrogate();
        o.surrogateScale = p.surrogateScale();
        o.bestConfig = p.bestConfig();
        o.windowSize = p.windowSize();
        o.perNeuron = p.perNeuron();
        o.validFraction = s.validation().fraction();
        o.select = s.validation().select().cliName();
        return o;
    }

    private static void positive(String flag, int value) {
        FlagRules.positive(flag, value);
    }

    private static void nonNegative(String flag, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw SpsnException.usage(flag + ": must be 0 (off) or a positive number, got " + value);
        }
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
