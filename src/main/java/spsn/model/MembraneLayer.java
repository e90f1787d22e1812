package spsn.model;

import ai.djl.ndarray.NDArray;
import spsn.neuron.LeakyIntegrator;

/**
 * The output layer of spiking networks: a Linear map whose output is integrated like a neuron's
 * membrane (no firing, no reset); the network's output is that membrane potential.
 */
final class MembraneLayer implements OutputLayer {

    private final Dense dense;
    private final LeakyIntegrator integrator;

    MembraneLayer(Dense dense, LeakyIntegrator integrator) {
        this.dense = dense;
        this.integrator = integrator;
    }

    @Override
    public Dense dense() {
        return dense;
    }

    @Override
    public NDArray dynamics(NDArray current, Pass pass) {
        return integrator.integrateTimeMajor(current);
    }

    @Override
    public double[] impulseResponse(int length) {
        return integrator.decay().kernel(length);
    }
}
