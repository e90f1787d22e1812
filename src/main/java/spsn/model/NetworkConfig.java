package spsn.model;

import spsn.neuron.Decay;

/**
 * Architecture of a network: {@code nbLayers} hidden layers of {@code hiddenSize} neurons, then
 * a non-firing output layer of {@code nbClasses} neurons.
 *
 * @param tauMem membrane time constant in seconds
 * @param tauSyn synaptic time constant in seconds
 * @param options recurrence, learnable time constants, threshold and surrogate
 */
public record NetworkConfig(NeuronType neuron, int inputSize, int hiddenSize, int nbLayers, int nbClasses,
                            double tauMem, double tauSyn, NeuronOptions options) {

    /** SPSN's setup (see {@link NeuronOptions#DEFAULT}). */
    public NetworkConfig(NeuronType neuron, int inputSize, int hiddenSize, int nbLayers, int nbClasses,
                         double tauMem, double tauSyn) {
        this(neuron, inputSize, hiddenSize, nbLayers, nbClasses, tauMem, tauSyn, NeuronOptions.DEFAULT);
    }

    public Decay decay() {
        return Decay.of(tauSyn, tauMem, Decay.DT);
    }

    /** Whether the threshold is a parameter (relu-clamped), as in the neuron's family. */
    public boolean learnsThreshold() {
        return neuron.family().learnsThreshold();
    }
}
