package spsn.model;

import spsn.neuron.Decay;

/**
 * Architecture of a network: {@code nbLayers} hidden layers of {@code hiddenSize} neurons, then
 * a non-firing output layer of {@code nbClasses} neurons.
 *
 * @param tauMem membrane time constant in seconds
 * @param tauSyn synaptic time constant in seconds
 */
public record NetworkConfig(NeuronType neuron, int inputSize, int hiddenSize, int nbLayers, int nbClasses,
                            double tauMem, double tauSyn) {

    public Decay decay() {
        return Decay.of(tauSyn, tauMem, Decay.DT);
    }

    /** Number of neurons in firing layers (N of the rate regulariser). */
    public int firingNeurons() {
        return neuron.spiking() ? nbLayers * hiddenSize : 0;
    }
}
