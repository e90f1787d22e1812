package spsn.neuron.spike;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import spsn.io.HostFloats;
import spsn.neuron.BackwardTape;
import spsn.neuron.NoiseSource;

/**
 * Bernoulli spikes straight through (dL/dp = dL/dspike * p) with the surrogate outside autograd,
 * joined to it as a {@link BackwardTape} step: the spikes are drawn in one pass (CounterNoise never
 * stores its uniforms) and the backward pass is one product. The engine's way
 * ({@link spsn.neuron.Firing#bernoulli}) adds (p - q) * q to the spikes, three more passes forward
 * and as many backward. CPU only.
 */
final class JavaBernoulli implements BackwardTape.Step {

    private final NDArray probability;
    private final NDArray spikes;

    private JavaBernoulli(NDArray probability, NDArray spikes) {
        this.probability = probability;
        this.spikes = spikes;
    }

    /** Spikes [u &lt; p]; in the graph through {@code tape} when a gradient is being recorded. */
    static NDArray apply(NDArray p, NoiseSource noise, BackwardTape tape) {
        if (!HostFloats.onHost(p.getDevice())) {
            throw new IllegalStateException("the Java Bernoulli step runs on the CPU only; use the engine's");
        }
        NDArray spikes;
        try (NDArray held = p.stopGradient()) {
            spikes = noise.bernoulli(held);
        }
        if (!BackwardTape.recording()) {
            return spikes;
        }
        Shape shape = p.getShape();
        spikes.setRequiresGradient(true);
        // own handles: the caller may close p and the returned view
        tape.add(new JavaBernoulli(p.reshape(shape), spikes));
        return spikes.reshape(shape);
    }

    @Override
    public void backward(GradientCollector collector) {
        NDArray gradient = BackwardTape.gradientOf(spikes);
        if (gradient == null) {
            return;
        }
        try (NDArray held = probability.stopGradient(); NDArray byProbability = gradient.mul(held)) {
            gradient.close();
            BackwardTape.backward(probability, byProbability);
        }
    }
}
