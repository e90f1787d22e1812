package spsn.model;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * The output layer of spiking networks: a Linear map whose output is integrated like a neuron's
 * membrane (no firing, no reset); the network's output is that membrane potential.
 */
final class MembraneLayer implements OutputLayer {

    private final Dense dense;
    private final NeuronParameters parameters;

    MembraneLayer(Dense dense, NeuronParameters parameters) {
        this.dense = dense;
        this.parameters = parameters;
    }

    @Override
    public Dense dense() {
        return dense;
    }

    @Override
    public List<NamedTensor> neuronTensors() {
        return parameters.tensors();
    }

    @Override
    public NDArray dynamics(NDArray current, Pass pass) {
        return parameters.integrate(current, pass.integrationTape());
    }

    @Override
    public double[] impulseResponse(int length) {
        return parameters.decay().kernel(length);
    }

    /**
     * With learnable time constants the impulse response depends on parameters, and with per-neuron
     * ones it differs by neuron: reduce the full output instead (so the gradient reaches them).
     */
    @Override
    public NDArray meanOverTime(NDArray x, Pass pass) {
        if (parameters.sharedFixedDecay()) {
            return OutputLayer.super.meanOverTime(x, pass);
        }
        try (NDArray out = forward(x, pass); NDArray real = out.get(":" + pass.steps())) {
            return real.mean(new int[] {0});
        }
    }

    @Override
    public NDArray lastStep(NDArray x, Pass pass) {
        if (parameters.sharedFixedDecay()) {
            return OutputLayer.super.lastStep(x, pass);
        }
        try (NDArray out = forward(x, pass)) {
            return out.get((pass.steps() - 1) + ", :, :");
        }
    }
}
