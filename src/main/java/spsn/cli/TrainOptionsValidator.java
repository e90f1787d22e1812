package spsn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import spsn.SpsnException;
import spsn.data.registry.DatasetSpec;
import spsn.data.registry.Datasets;
import spsn.model.NetworkSize;
import spsn.model.NeuronFamily;
import spsn.model.NeuronType;
import spsn.neuron.spike.Surrogate;
import spsn.train.AugmentationSettings;
import spsn.train.DataSettings;
import spsn.train.ModelSelection;
import spsn.train.NetworkSettings;
import spsn.train.NeuronSettings;
import spsn.train.RunSettings;
import spsn.train.SettingsJson;
import spsn.train.TrainingSettings;
import spsn.train.ValidationSettings;

/**
 * Maps the command line onto {@link RunSettings} (each option is the setting of its name) and
 * checks the settings, a new run's and a resumed one's alike; errors name the flag.
 */
final class TrainOptionsValidator {

    /** What may change when a run is resumed: nothing that changes its numbers on the same device. */
    static final List<String> RESUME_FLAGS = List.of("--nb_epochs", "--progress", "--device", "--data_dir",
            "--output_dir", "--checkpoint_every");
    /** Flags that are not settings of the run at all. */
    private static final Set<String> NOT_SETTINGS = Set.of("--resume", "--verbose", "--help", "--version",
            "--download");
    /** Second names of a setting: ParaLIF's run.py calls h_shift "shift". */
    private static final Map<String, String> ALIASES = Map.of("--shift", "h_shift");

    private TrainOptionsValidator() {
    }

    /** The setting an option sets: its name without "--"; null for the options that are not settings. */
    static String settingName(OptionSpec option) {
        String flag = option.longestName();
        return NOT_SETTINGS.contains(flag) ? null : ALIASES.getOrDefault(flag, flag.substring(2));
    }

    /** The options as they were given (with their defaults): every option is read by its name. */
    static RunSettings settings(TrainOptions o) {
        ObjectNode flat = JsonNodeFactory.instance.objectNode();
        List<String> keys = SettingsJson.keys();
        for (OptionSpec option : CommandSpec.forAnnotatedObject(o).options()) {
            String name = settingName(option);
            if (name == null) {
                continue;
            }
            if (!keys.contains(name)) {
                throw new IllegalStateException(option.longestName() + " is not a setting of RunSettings");
            }
            JsonNode value = SettingsJson.tree(option.getValue());
            JsonNode before = flat.get(name);
            if (before != null && !before.isNull()) {
                if (!value.isNull() && !value.equals(before)) {
                    throw SpsnException.usage("--shift and --h_shift are one setting (ParaLIF's and SPSN's names);"
                            + " give one");
                }
                continue;
            }
            flat.set(name, value);
        }
        try {
            return RunSettings.fromFlat(flat);
        } catch (IllegalArgumentException e) {
            throw SpsnException.usage("--" + e.getMessage());
        }
    }

    /** The options' settings, checked ({@link #validate(RunSettings)}). */
    static RunSettings validate(TrainOptions o) {
        return validate(settings(o));
    }

    /**
     * Checks every setting and resolves those whose defaults depend on others (the dataset's
     * canonical name, the neuron family's augmentation); a resumed run's saved settings pass here too.
     */
    static RunSettings validate(RunSettings s) {
        DataSettings data = s.data();
        DatasetSpec spec = Datasets.byName("--dataset", data.dataset());
        validation(s.validation(), spec);
        NeuronType neuron = s.network().neuron();
        TrainingSettings t = s.training();
        NeuronSettings n = s.neuron();
        NetworkSettings net = s.network();
        if (t.nbEpochs() < 0 || (t.nbEpochs() == 0 && net.loadModel() == null)) {
            throw SpsnException.usage("--nb_epochs: must be a positive number of epochs, got " + t.nbEpochs()
                    + " (0 is allowed only with --load_model, to test a saved model)");
        }
        FlagRules.positive("--batch_size", t.batchSize());
        FlagRules.positive("--hidden_size", net.hiddenSize());
        FlagRules.positive("--nb_layers", net.nbLayers());
        FlagRules.positive("--synthetic_train", data.syntheticTrain());
        FlagRules.positive("--synthetic_test", data.syntheticTest());
        positiveReal("--tau_mem", n.tauMem());
        positiveReal("--tau_syn", n.tauSyn());
        NeuronFamily family = neuron.family();
        AugmentationSettings a = s.augmentation();
        double shift = a.shift() != null ? a.shift() : family.defaultShift();
        double scale = a.scale() != null ? a.scale() : family.defaultScale();
        fraction(family == NeuronFamily.PARALIF ? "--shift" : "--h_shift", shift);
        fraction("--scale", scale);
        nonNegative("--reg_thr", t.regThr());
        nonNegative("--reg_thr_r", t.regThrR());
        nonNegative("--weight_decay", t.weightDecay());
        if (!(t.lr() > 0) || Double.isInfinite(t.lr())) {
            throw SpsnException.usage("--lr: must be a positive number, got " + t.lr());
        }
        if (n.spkThreshold() != null && !Double.isFinite(n.spkThreshold())) {
            throw SpsnException.usage("--spk_threshold: must be a finite number, got " + n.spkThreshold());
        }
        if (Surrogate.Kind.byName(n.surrogate()) == null) {
            throw SpsnException.usage("--surrogate: unknown surrogate '" + n.surrogate() + "'; choose fastsig or atan");
        }
        if (n.surrogateScale() != null && !(n.surrogateScale() > 0 && Double.isFinite(n.surrogateScale()))) {
            throw SpsnException.usage("--surrogate_scale: must be a positive number, got " + n.surrogateScale());
        }
        if (!(data.windowSize() > 0) || Double.isInfinite(data.windowSize())) {
            throw SpsnException.usage("--window_size: must be a positive number of seconds, got " + data.windowSize());
        }
        if (net.recurrentRelu() && !net.recurrent()) {
            throw SpsnException.usage("--recurrent_relu: only with --recurrent (it chooses what the recurrence feeds back)");
        }
        if (!neuron.spiking() && (net.recurrent() || n.learnTau())) {
            throw SpsnException.usage((net.recurrent() ? "--recurrent" : "--learn_tau")
                    + ": Non-Spiking has no time dynamics; choose a spiking neuron");
        }
        if (n.perNeuron() && neuron.dynamics() != NeuronType.Dynamics.PARALLEL) {
            throw SpsnException.usage("--per_neuron: only for parallel neurons (SPSN-SB, SPSN-GS, ParaLIF-*), not "
                    + neuron.cliName());
        }
        if (s.session().checkpointEvery() < 0) {
            throw SpsnException.usage("--checkpoint_every: must be 0 (only when stopped) or a positive number of"
                    + " epochs, got " + s.session().checkpointEvery());
        }
        if (t.testEvery() < 0) {
            throw SpsnException.usage("--test_every: must be 0 (off) or a positive number of epochs, got "
                    + t.testEvery());
        }
        FlagRules.device(t.device());
        if (t.nbEpochs() > 0) {
            NetworkSize.requireMemory(net.hiddenSize(), net.nbLayers(), t.batchSize());
        }
        NetworkSize.check(net.hiddenSize(), net.nbLayers());
        String dir = s.output().dir();
        if (!dir.isEmpty() && (dir.startsWith("/") || dir.contains(".."))) {
            throw SpsnException.usage("--dir: '" + dir + "' must be a relative sub-folder such as basic/");
        }
        // by name, so that a new setting of these groups costs nothing here
        ObjectNode resolved = s.flat();
        resolved.put("dataset", spec.name());
        resolved.put("h_shift", shift);
        resolved.put("scale", scale);
        return RunSettings.fromFlat(resolved);
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

    private static void validation(ValidationSettings v, DatasetSpec spec) {
        if (!(v.fraction() >= 0 && v.fraction() < 1)) {
            throw SpsnException.usage("--valid_fraction: must be in [0, 1), got " + v.fraction());
        }
        if (v.fraction() > 0 && spec.hasValidSplit()) {
            throw SpsnException.usage("--valid_fraction: " + spec.name() + " has its own validation split, which"
                    + " the run uses; leave --valid_fraction out");
        }
        if (v.select() == ModelSelection.BEST && v.fraction() == 0 && !spec.hasValidSplit()) {
            throw SpsnException.usage("--select best needs a validation set: give --valid_fraction (e.g. 0.1) or use a"
                    + " dataset with its own validation split (ssc)");
        }
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
        ObjectNode flat = saved.flat();
        ObjectNode now = settings(given).flat();
        for (String flag : RESUME_FLAGS) {
            if (isGiven.test(flag)) {
                flat.set(flag.substring(2), now.get(flag.substring(2)));
            }
        }
        return validate(RunSettings.fromFlat(flat));
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
