package spsn.model;

import spsn.neuron.spike.Surrogate;

/**
 * How the neurons of a network are set up beyond their type (ParaLIF's flags).
 *
 * @param recurrent hidden layers feed their spikes back through a Linear (fc_recu); never the output layer
 * @param recurrentRelu feed back relu of the membrane instead of spikes (ParaLIF's --recurrent_relu)
 * @param learnTau the time constants learn (alpha, beta through a sigmoid, ParaLIF's parametrisation)
 * @param spkThreshold the firing threshold; null for the neuron's default
 * @param surrogate the surrogate gradient of Heaviside steps
 * @param perNeuron each neuron has its own threshold and decays ([H] tensors, ParaLIF's list form),
 *     all starting at the layer's values; otherwise one of each per layer (0-d tensors)
 */
public record NeuronOptions(boolean recurrent, boolean recurrentRelu, boolean learnTau, Double spkThreshold,
                            Surrogate surrogate, boolean perNeuron) {

    /** SPSN's setup: feed-forward, fixed time constants, default threshold, fast sigmoid k = 100. */
    public static final NeuronOptions DEFAULT = new NeuronOptions(false, false, false, null, Surrogate.DEFAULT);

    /** One threshold and one pair of decays per layer. */
    public NeuronOptions(boolean recurrent, boolean recurrentRelu, boolean learnTau, Double spkThreshold,
                         Surrogate surrogate) {
        this(recurrent, recurrentRelu, learnTau, spkThreshold, surrogate, false);
    }

    /** The threshold {@code neuron} fires at. */
    public double threshold(NeuronType neuron) {
        return spkThreshold != null ? spkThreshold : neuron.defaultThreshold();
    }
}
