package spsn.model;

import ai.djl.ndarray.NDArray;

/** Non-Spiking hidden layer: Linear then ReLU at every step. */
final class ReluLayer implements Layer {

    private final Dense dense;

    ReluLayer(Dense dense) {
        this.dense = dense;
    }

    @Override
    public Dense dense() {
        return dense;
    }

    @Override
    public NDArray dynamics(NDArray current, Pass pass) {
        return current.getNDArrayInternal().relu();
    }
}
