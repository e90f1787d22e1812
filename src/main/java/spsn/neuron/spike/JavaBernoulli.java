package spsn.neuron.spike;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import spsn.io.HostFloats;
import spsn.neuron.BackwardTape;
import spsn.neuron.NoiseSource;
import spsn.neuron.SpikeTally;

/**
 * Bernoulli spikes of p = normaliser(mem) straight through (dL/dp = dL/dspike * p) with the
 * surrogate outside autograd, joined to it as a {@link BackwardTape} step: the spikes are drawn in
 * one pass (CounterNoise never stores its uniforms), p is computed outside the graph, and the
 * backward pass is one Java loop for the product and the normaliser's derivative (for SPSN-SB's
 * sigmoid, dL/dmem = dL/dspike * p * (1 - p) * p, its tiny values flushed: see TinyGradients). The engine's way
 * ({@link spsn.neuron.Firing#bernoulli}) adds (p - q) * q to the spikes, three more passes forward
 * and as many backward, and the normaliser's backward pass is one more. CPU only.
 */
final class JavaBernoulli implements BackwardTape.Step {

    private final Normaliser normaliser;
    private final NDArray input;
    private final NDArray probability;
    private final NDArray spikes;

    private JavaBernoulli(Normaliser normaliser, NDArray input, NDArray probability, NDArray spikes) {
        this.normaliser = normaliser;
        this.input = input;
        this.probability = probability;
        this.spikes = spikes;
    }

    /**
     * Spikes [u &lt; normaliser(mem)]; in the graph through {@code tape} when a gradient is being
     * recorded; tallied in {@code tally} where the noise source draws them in a loop that counts
     * (NoiseSource#bernoulli(NDArray, SpikeTally)).
     */
    static NDArray apply(Normaliser normaliser, NDArray mem, NoiseSource noise, BackwardTape tape,
                         SpikeTally tally) {
        if (!HostFloats.onHost(mem.getDevice())) {
            throw new IllegalStateException("the Java Bernoulli step runs on the CPU only; use the engine's");
        }
        NDArray held = mem.stopGradient();
        NDArray p = normaliser.applyBeforeJavaStep(held);
        if (p != held) {
            held.close();
        }
        NDArray spikes = noise.bernoulli(p, tally);
        if (!BackwardTape.recording()) {
            p.close();
            return spikes;
        }
        Shape shape = mem.getShape();
        spikes.setRequiresGradient(true);
        // own handles: the caller may close mem and the returned view
        tape.add(new JavaBernoulli(normaliser, mem.reshape(shape), p, spikes));
        return tape.output(spikes);
    }

    @Override
    public void backward(GradientCollector collector) {
        NDArray gradient = BackwardTape.gradientOf(spikes);
        if (gradient == null) {
            probability.close();
            return;
        }
        NDManager scope = spikes.getManager();
        try (NDArray byInput = scope.create(spikes.getShape(), DataType.FLOAT32)) {
            ElementBlocks.scaledGradient(gradient, probability, normaliser, byInput);
            gradient.close();
            probability.close();
            BackwardTape.backward(input, byInput);
        }
    }
}
