package spsn.neuron;

import ai.djl.ndarray.NDArray;

/** Spikes of a LIF layer and its membrane potential after reset, same shape as the input. */
public record LifOutput(NDArray spikes, NDArray membrane) {
}
