package spsn.model;

import ai.djl.ndarray.NDArray;

/**
 * One entry of a layer's state: its state_dict name within the layer, the array, and whether the
 * optimizer trains it (a parameter with a gradient) or it is only saved (a buffer, or a
 * parameter that never enters the computation, like the output layer's threshold in ParaLIF).
 */
public record NamedTensor(String name, NDArray array, boolean trainable) {
}
