package spsn.model;

import ai.djl.ndarray.NDArray;

/** Non-Spiking output layer: a plain Linear map at every step. */
final class LinearLayer implements OutputLayer {

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

    /** Each step's output depends on that step's input only. */
    @Override
    public double[] impulseResponse(int length) {
        double[] r = new double[length];
        r[0] = 1;
        return r;
    }

    /** Identity (only reachable through {@link #forward}, which skips it). */
    @Override
    public NDArray dynamics(NDArray current, Pass pass) {
        return current;
    }
}
