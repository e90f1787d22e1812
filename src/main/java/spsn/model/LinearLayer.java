package spsn.model;

import ai.djl.ndarray.NDArray;

/** Non-Spiking output layer: a plain Linear map at every step. */
final class LinearLayer implements Layer {

    private final Dense dense;

    LinearLayer(Dense dense) {
        this.dense = dense;
    }

    @Override
    public Dense dense() {
        return dense;
    }

    @Override
    public NDArray forward(NDArray x, Pass pass) {
        return dense.apply(x);
    }

    /** Identity (only reachable through {@link #forward}, which skips it). */
    @Override
    public NDArray dynamics(NDArray current, Pass pass) {
        return current;
    }
}
