package spsn.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import spsn.model.NeuronType;

/**
 * The network's shape: one group of {@link RunSettings}.
 *
 * @param neuron the hidden layers' neuron
 * @param recurrent hidden layers feed back through fc_recu (ParaLIF's --recurrent)
 * @param recurrentRelu feed back relu of the membrane instead of spikes
 * @param loadModel start from this model file (.pt or .nir), or null
 */
public record NetworkSettings(
        @JsonProperty("neuron") NeuronType neuron,
        @JsonProperty("hidden_size") int hiddenSize,
        @JsonProperty("nb_layers") int nbLayers,
        @JsonProperty("recurrent") boolean recurrent,
        @JsonProperty("recurrent_relu") boolean recurrentRelu,
        @JsonProperty("load_model") Path loadModel) {

    /** The defaults of {@code spsn}'s flags. */
    public static final NetworkSettings DEFAULT = new NetworkSettings(NeuronType.LIF, 128, 3, false, false, null);
}
