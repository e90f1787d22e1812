package spsn.model;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * One layer of a network: parameters (a {@link Dense} map) followed by its dynamics. Arrays are
 * time first: [T, B, features].
 */
interface Layer {

    /** The layer's linear map (its weight and bias). */
    Dense dense();

    /**
     * The neuron's own tensors beside the Linear map (threshold, time constants, recurrent
     * weights, buffers), by name within the layer, in state_dict order.
     */
    default List<NamedTensor> neuronTensors() {
        return List.of();
    }

    /**
     * Maps input [T, B, in] to output [T, B, out]. A firing layer appends its per-neuron rate
     * (mean over batch and real steps, shape [out]) to the pass's rates.
     */
    default NDArray forward(NDArray x, Pass pass) {
        try (NDArray current = dense().apply(x)) {
            return dynamics(current, pass);
        }
    }

    /** What the layer does to its input currents [T, B, out] (after the linear map). */
    NDArray dynamics(NDArray current, Pass pass);
}
