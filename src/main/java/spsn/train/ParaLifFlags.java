package spsn.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import spsn.model.NeuronOptions;
import spsn.neuron.spike.Surrogate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings ParaLIF's run.py adds to SPSN's (plus the surrogate), one group bound with
 * Jackson under their run.py names: the CLI fills it, checkpoints and PARAMS write it as it is,
 * a checkpoint without it (written before these flags existed) reads back as {@link #DEFAULT}.
 * A new flag of this group costs its component here and its option in TrainOptions.
 *
 * @param spkThreshold null: the neuron's default (ParaLIF: 0.1 for delta spikes, 1.0 otherwise)
 * @param surrogateScale null: the surrogate's default (100 fast sigmoid, 2 atan)
 * @param windowSize bin width of SHD files, seconds (ParaLIF's neurons bin with floor, SPSN's with ceil)
 * @param perNeuron one threshold and one pair of decays per neuron (ParaLIF's list form), not per layer
 */
public record ParaLifFlags(
        @JsonProperty("learn_tau") boolean learnTau,
        @JsonProperty("recurrent") boolean recurrent,
        @JsonProperty("recurrent_relu") boolean recurrentRelu,
        @JsonProperty("reg_thr_r") double regThrR,
        @JsonProperty("lr") double lr,
        @JsonProperty("weight_decay") double weightDecay,
        @JsonProperty("spk_threshold") Double spkThreshold,
        @JsonProperty("surrogate") String surrogate,
        @JsonProperty("surrogate_scale") Double surrogateScale,
        @JsonProperty("best_config") boolean bestConfig,
        @JsonProperty("window_size") double windowSize,
        @JsonProperty("per_neuron") boolean perNeuron) {

    /** run.py's defaults (and SPSN's behaviour). */
    public static final ParaLifFlags DEFAULT = new ParaLifFlags(false, false, false, 0.0, 1e-3, 0.0, null,
            Surrogate.Kind.FASTSIG.cliName(), null, false, 1e-3, false);

    /** The flags with one threshold and one pair of decays per layer (run.py's only form). */
    public ParaLifFlags(boolean learnTau, boolean recurrent, boolean recurrentRelu, double regThrR, double lr,
                        double weightDecay, Double spkThreshold, String surrogate, Double surrogateScale,
                        boolean bestConfig, double windowSize) {
        this(learnTau, recurrent, recurrentRelu, regThrR, lr, weightDecay, spkThreshold, surrogate, surrogateScale,
                bestConfig, windowSize, false);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The neurons' setup these flags ask for. */
    public NeuronOptions neuronOptions() {
        return new NeuronOptions(recurrent, recurrentRelu, learnTau, spkThreshold,
                Surrogate.of(Surrogate.Kind.byName(surrogate), surrogateScale), perNeuron);
    }

    /** The flags by name, in order, for PARAMS and checkpoints. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> asMap() {
        return JSON.convertValue(this, LinkedHashMap.class);
    }

    /** Reads the flags saved as {@link #asMap}; missing ones (older files) take their defaults. */
    public static ParaLifFlags fromJson(JsonNode saved) {
        ObjectNode merged = JSON.valueToTree(DEFAULT);
        if (saved != null && saved.isObject()) {
            merged.setAll((ObjectNode) saved);
        }
        try {
            return JSON.treeToValue(merged, ParaLifFlags.class);
        } catch (Exception e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
