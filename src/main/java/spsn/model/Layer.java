package spsn.model;

import ai.djl.ndarray.NDArray;
import spsn.neuron.NoiseSource;

import java.util.List;

/** One layer of a network: parameters (a {@link Dense} map) followed by its dynamics. */
interface Layer {

    /** The layer's linear map, whose weight and bias are the trainable parameters. */
    Dense dense();

    /**
     * Maps input [B, in, T] to output [B, out, T]. A firing layer appends its per-neuron rate
     * (mean over batch and time, shape [out]) to {@code rates}.
     */
    default NDArray forward(NDArray x, NoiseSource noise, List<NDArray> rates) {
        try (NDArray current = dense().apply(x)) {
            return dynamics(current, noise, rates);
        }
    }

    /** What the layer does to its input currents [B, out, T] (after the linear map). */
    NDArray dynamics(NDArray current, NoiseSource noise, List<NDArray> rates);
}
