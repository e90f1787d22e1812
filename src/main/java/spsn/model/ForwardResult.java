package spsn.model;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * Output of a network pass.
 *
 * @param output membrane potential of the output layer, [B, T, classes]
 * @param rates per firing layer, the firing rate of each neuron (mean over batch and time)
 */
public record ForwardResult(NDArray output, List<NDArray> rates) {
}
