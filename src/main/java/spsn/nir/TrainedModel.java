package spsn.nir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import spsn.SpsnException;
import spsn.io.StateDict;
import spsn.io.TorchStateDictReader;
import spsn.model.ModelFiles;
import spsn.model.Network;
import spsn.model.NeuronOptions;
import spsn.model.NeuronType;
import spsn.neuron.spike.Surrogate;

/**
 * A trained model with the flags it was trained with: its parameters from a model file
 * (model_N_ID.pt) or checkpoint (checkpoint_N_ID.json or its .pt), and neuron, tau_mem, tau_syn
 * and the neuron options (learn_tau, recurrent, recurrent_relu, spk_threshold, per_neuron) from the run's
 * results or checkpoint JSON beside it (same neuron and run id), or from flags where neither is
 * there. Without the run's file, recurrence is read from the tensors (fc_recu), and so is
 * learn_tau for SPSN's neurons (which save _alpha only when it learns), and per_neuron ([H] _alpha).
 *
 * @param options recurrence, learn_tau and the fixed threshold (the surrogate is irrelevant here)
 * @param flagsFrom the file the flags came from, or "flags"
 */
public record TrainedModel(StateDict parameters, NeuronType neuron, double tauMem, double tauSyn,
                           NeuronOptions options, String flagsFrom) {

    private static final Pattern RUN_FILE = Pattern.compile("(?:model|checkpoint)_(.+)_(\\d+)(?:\\.\\d+)?\\.(?:pt|json)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads {@code file}; {@code neuron}, {@code tauMem}, {@code tauSyn} are the flags given (null
     * when not), which must agree with the run's own files when those exist.
     */
    public static TrainedModel read(Path file, String neuron, Double tauMem, Double tauSyn) {
        return read(file, neuron, tauMem, tauSyn, null, null, null);
    }

    /** The same, with the neuron options given as flags (null when not). */
    public static TrainedModel read(Path file, String neuron, Double tauMem, Double tauSyn, Boolean learnTau,
                                    Boolean recurrentRelu, Double spkThreshold) {
        return read(file, neuron, tauMem, tauSyn, learnTau, recurrentRelu, spkThreshold, null);
    }

    /**
     * The same with --per_neuron given or not (null); without the run's file it is read from the
     * tensors ([H] _alpha: one threshold and pair of decays per neuron).
     */
    public static TrainedModel read(Path file, String neuron, Double tauMem, Double tauSyn, Boolean learnTau,
                                    Boolean recurrentRelu, Double spkThreshold, Boolean perNeuron) {
        if (!Files.isRegularFile(file)) {
            throw SpsnException.data("model file " + file + " does not exist");
        }
        String name = file.getFileName().toString();
        Path runJson = name.endsWith(".json") ? file : runJson(file);
        StateDict parameters;
        if (name.endsWith(".json")) {
            JsonNode tensors = json(file).path("tensors");
            if (!tensors.isTextual()) {
                throw SpsnException.data(file + " is not a checkpoint of this tool (no \"tensors\"); give a model_<neuron>_<id>.pt"
                        + " or checkpoint_<neuron>_<id>.json");
            }
            parameters = ModelFiles.modelPart(TorchStateDictReader.read(file.resolveSibling(tensors.asText())));
        } else {
            parameters = ModelFiles.modelPart(TorchStateDictReader.read(file));
        }
        JsonNode flags = runJson == null ? null : flagsOf(json(runJson));
        String neuronName = pick("--neuron", neuron, flags == null ? null : flags.path("neuron"), runJson, file);
        Double mem = pickNumber("--tau_mem", tauMem, flags == null ? null : flags.path("tau_mem"), runJson, file);
        Double syn = pickNumber("--tau_syn", tauSyn, flags == null ? null : flags.path("tau_syn"), runJson, file);
        NeuronType type = NeuronType.fromCliName(neuronName);
        if (!(mem > 0) || !(syn > 0)) {
            throw SpsnException.usage("--tau_mem and --tau_syn must be positive numbers of seconds, got " + mem + " and " + syn);
        }
        JsonNode neuronFlags = flags == null ? null : flags.has("paralif") ? flags.get("paralif") : flags;
        boolean recurrentKeys = parameters.containsKey(Network.neuronPrefix(type, 0) + "fc_recu.weight");
        boolean recurrent = neuronFlags != null ? neuronFlags.path("recurrent").asBoolean(false) : recurrentKeys;
        Boolean tau = pickFlag("--learn_tau", learnTau, neuronFlags, "learn_tau", runJson);
        if (tau == null) {
            if (type.family().sequentialKeys()) {
                throw SpsnException.usage("no results or checkpoint file of the run that made " + file + " is beside it,"
                        + " and a " + type.cliName() + " model file holds _alpha and _beta whether they learn or not;"
                        + " give --learn_tau True or False");
            }
            tau = parameters.containsKey(Network.neuronPrefix(type, 0) + "_alpha");
        }
        Boolean relu = pickFlag("--recurrent_relu", recurrentRelu, neuronFlags, "recurrent_relu", runJson);
        if (relu == null) {
            if (recurrent) {
                throw SpsnException.usage("no results or checkpoint file of the run that made " + file + " is beside it,"
                        + " and its recurrent layers may feed back spikes or relu of the membrane; give"
                        + " --recurrent_relu True or False");
            }
            relu = false;
        }
        Double threshold = spkThreshold;
        JsonNode savedThreshold = neuronFlags == null ? null : neuronFlags.get("spk_threshold");
        if (savedThreshold != null && savedThreshold.isNumber()) {
            if (threshold != null && threshold.doubleValue() != savedThreshold.asDouble()) {
                throw contradiction("--spk_threshold", threshold.toString(), savedThreshold.asText(), runJson);
            }
            threshold = savedThreshold.asDouble();
        }
        Boolean perNeuronFlag = pickFlag("--per_neuron", perNeuron, neuronFlags, "per_neuron", runJson);
        if (perNeuronFlag == null) {
            String alphaKey = Network.neuronPrefix(type, 0) + "_alpha";
            perNeuronFlag = parameters.containsKey(alphaKey) && parameters.get(alphaKey).shape().length == 1;
        }
        NeuronOptions options = new NeuronOptions(recurrent, relu, tau, threshold, Surrogate.DEFAULT, perNeuronFlag);
        return new TrainedModel(parameters, type, mem, syn, options, runJson == null ? "flags" : runJson.toString());
    }

    /** The training flags, as a line for the file's metadata. */
    public String describe() {
        StringBuilder line = new StringBuilder("--neuron " + neuron.cliName() + " --tau_mem " + tauMem + " --tau_syn " + tauSyn);
        if (options.learnTau()) {
            line.append(" --learn_tau");
        }
        if (options.recurrent()) {
            line.append(" --recurrent");
        }
        if (options.perNeuron()) {
            line.append(" --per_neuron");
        }
        if (options.spkThreshold() != null) {
            line.append(" --spk_threshold ").append(options.spkThreshold());
        }
        return line.toString();
    }

    /**
     * A boolean flag given, or saved in the run's file (absent there: the default, False); null
     * when there is no run file and no flag.
     */
    private static Boolean pickFlag(String flag, Boolean given, JsonNode saved, String key, Path runJson) {
        if (saved == null) {
            return given;
        }
        boolean fromFile = saved.path(key).asBoolean(false);
        if (given != null && given != fromFile) {
            throw contradiction(flag, given.toString(), Boolean.toString(fromFile), runJson);
        }
        return fromFile;
    }

    /** results_N_ID.json beside the file, else checkpoint_N_ID.json; null when neither exists. */
    private static Path runJson(Path file) {
        Matcher m = RUN_FILE.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return null;
        }
        for (String kind : new String[] {"results_", "checkpoint_"}) {
            Path candidate = file.resolveSibling(kind + m.group(1) + "_" + m.group(2) + ".json");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** A results file's PARAMS or a checkpoint's settings. */
    private static JsonNode flagsOf(JsonNode root) {
        return root.has("PARAMS") ? root.get("PARAMS") : root.path("settings");
    }

    private static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw SpsnException.data(file + " cannot be read as JSON (" + e.getMessage().lines().findFirst().orElse("")
                    + "); give a model_<neuron>_<id>.pt or checkpoint_<neuron>_<id>.json", e);
        }
    }

    private static String pick(String flag, String given, JsonNode saved, Path runJson, Path file) {
        String fromFile = saved != null && saved.isTextual() ? saved.asText() : null;
        if (given != null && fromFile != null && !given.equals(fromFile)) {
            throw contradiction(flag, given, fromFile, runJson);
        }
        if (given == null && fromFile == null) {
            throw missing(flag, file);
        }
        return given != null ? given : fromFile;
    }

    private static Double pickNumber(String flag, Double given, JsonNode saved, Path runJson, Path file) {
        Double fromFile = saved != null && saved.isNumber() ? saved.asDouble() : null;
        if (given != null && fromFile != null && given.doubleValue() != fromFile.doubleValue()) {
            throw contradiction(flag, given.toString(), fromFile.toString(), runJson);
        }
        if (given == null && fromFile == null) {
            throw missing(flag, file);
        }
        return given != null ? given : fromFile;
    }

    private static SpsnException contradiction(String flag, String given, String saved, Path runJson) {
        return SpsnException.usage(flag + " " + given + " contradicts " + runJson + ", which says the model was"
                + " trained with " + flag + " " + saved + "; leave " + flag + " out");
    }

    private static SpsnException missing(String flag, Path file) {
        return SpsnException.usage("no results or checkpoint file of the run that made " + file + " is beside it"
                + " (results_<neuron>_<id>.json with the same neuron and id); give " + flag
                + " (and --neuron, --tau_mem, --tau_syn: the flags it was trained with)");
    }
}
