package spsn.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import spsn.neuron.spike.Surrogate;

/**
 * The neurons' constants and spike function: one group of {@link RunSettings}.
 *
 * @param tauMem membrane time constant, seconds
 * @param tauSyn synaptic time constant, seconds
 * @param learnTau the time constants learn (ParaLIF's sigmoid parametrisation)
 * @param spkThreshold the firing threshold; null: the neuron's default (0.1 for ParaLIF's delta spikes, 1.0 otherwise)
 * @param surrogate a {@link Surrogate.Kind} name (fastsig, atan)
 * @param surrogateScale the surrogate's k; null: the surrogate's default (100 fastsig, 2 atan)
 * @param perNeuron one threshold and one pair of decays per neuron (ParaLIF's list form), not per layer
 */
public record NeuronSettings(
        @JsonProperty("tau_mem") double tauMem,
        @JsonProperty("tau_syn") double tauSyn,
        @JsonProperty("learn_tau") boolean learnTau,
        @JsonProperty("spk_threshold") Double spkThreshold,
        @JsonProperty("surrogate") String surrogate,
        @JsonProperty("surrogate_scale") Double surrogateScale,
        @JsonProperty("per_neuron") boolean perNeuron) {

    /** The defaults of {@code spsn}'s flags. */
    public static final NeuronSettings DEFAULT = new NeuronSettings(2e-2, 2e-2, false, null,
            Surrogate.Kind.FASTSIG.cliName(), null, false);
}
