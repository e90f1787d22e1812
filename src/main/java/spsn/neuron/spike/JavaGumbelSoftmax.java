package spsn.neuron.spike;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import spsn.io.HostFloats;
import spsn.neuron.BackwardTape;
import spsn.neuron.BranchFreeStep;
import spsn.neuron.CounterNoise;
import spsn.neuron.NoiseSource;
import spsn.neuron.SpikeTally;

import java.nio.FloatBuffer;

/**
 * The hard Gumbel-softmax spike of {@link spsn.neuron.Firing#gumbelSoftmax} outside autograd,
 * joined to it as a {@link BackwardTape} step: y = sigmoid(2n + L) with L logistic noise, spike =
 * [y &gt; 1/2], dL/dn = dL/dspike * 2y(1 - y) (its tiny values flushed: see TinyGradients), the
 * spikes tallied as they are written when asked (SpikeTally). CPU only.
 *
 * <p>With {@link CounterNoise}, L = log(u / (1 - u)) is never formed: y = u / (u + (1 - u) exp(-2n)),
 * the same number without the logarithm per element that made Gumbel-softmax neurons the slowest,
 * and u is read where the noise makes it. Other sources (fixed
 * noise in tests) give their logistic array and y is the sigmoid itself.
 */
final class JavaGumbelSoftmax implements BackwardTape.Step {

    /** One block of exp(-2n) (then of the slope) per thread. */
    private static final ThreadLocal<float[]> DECAY = ThreadLocal.withInitial(() -> new float[Math.max(CounterNoise.BLOCK, ElementBlocks.SIZE)]);

    /** Bound of f = (LEVELS - k) e: k + f and 1 / (k + f) stay normal floats. */
    private static final float LARGEST = 1e30f;

    /**
     * Bound of -2n before exp: beyond it exp's result leaves the normal floats (e^±87.3), and the
     * engine's exp takes a slow path for every such element. Nothing that counts changes: where
     * -2n &gt; 86, f is {@link #LARGEST} either way; where -2n &lt; -86, the spike is certain either
     * way and the slope stays below 2e-30, which a gradient below 1/2 makes a value TinyGradients
     * flushes.
     */
    private static final float EXPONENT_BOUND = 86f;

    private final NDArray input;
    private final NDArray spikes;
    private final NDArray slope;

    private JavaGumbelSoftmax(NDArray input, NDArray spikes, NDArray slope) {
        this.input = input;
        this.spikes = spikes;
        this.slope = slope;
    }

    /**
     * Spikes of the normalised membrane {@code n}; in the graph through {@code tape} when recording;
     * tallied in {@code tally} (null: not).
     */
    static NDArray apply(NDArray n, NoiseSource noise, BackwardTape tape, SpikeTally tally) {
        if (!HostFloats.onHost(n.getDevice())) {
            throw new IllegalStateException("the Java Gumbel-softmax step runs on the CPU only; use the engine's");
        }
        Shape shape = n.getShape();
        NDManager scope = n.getManager();
        int size = Math.toIntExact(shape.size());
        NDArray spikes = scope.create(shape, DataType.FLOAT32);
        NDArray slope;
        if (tally != null) {
            tally.start(shape);
        }
        try (NDArray held = n.stopGradient()) {
            if (noise instanceof CounterNoise counter) {
                try (NDArray negated = held.mul(-2f); NDArray bounded = negated.clip(-EXPONENT_BOUND, EXPONENT_BOUND)) {
                    slope = bounded.exp();
                }
                fromCounter(counter, size, HostFloats.view(slope), HostFloats.view(spikes), tally);
            } else {
                try (NDArray doubled = held.mul(2f);
                     NDArray logistic = noise.logistic(scope, shape);
                     NDArray logits = doubled.add(logistic)) {
                    slope = logits.getNDArrayInternal().sigmoid();
                }
                fromSoft(size, HostFloats.view(slope), HostFloats.view(spikes), tally);
            }
        }
        if (!BackwardTape.recording()) {
            slope.close();
            return spikes;
        }
        spikes.setRequiresGradient(true);
        // own handles: the caller may close n and the returned view
        tape.add(new JavaGumbelSoftmax(n.reshape(shape), spikes, slope));
        return tape.output(spikes);
    }

    /**
     * e = exp(-2n) in {@code decay} becomes the slope 2y(1 - y), the spikes go to {@code out}: with
     * levels k + 1/2 = u * LEVELS and f = (LEVELS - k) e, y = k / (k + f) and 1 - y = f / (k + f),
     * both without cancellation, and y &gt; 1/2 exactly when k &gt; f, i.e. when 2n + L &gt; 0.
     * f is held below {@link #LARGEST} so that k + f stays finite where e overflows (n below about
     * -44): y and the slope are then below 1e-22 where the sigmoid's are 0.
     */
    private static void fromCounter(CounterNoise counter, int size, FloatBuffer decay, FloatBuffer out,
                                    SpikeTally tally) {
        counter.drawLevels(size, (levels, start, length) -> {
            float[] e = DECAY.get();
            decay.get(start, e, 0, length);
            for (int i = 0; i < length; i++) {
                float k = levels[i];
                float f = Math.min((CounterNoise.LEVELS - k) * e[i], LARGEST);
                float inverse = 1f / (k + f);
                e[i] = 2f * (k * inverse) * (f * inverse);
                // [k > f] without a branch (half of them would be mispredicted)
                levels[i] = BranchFreeStep.of(k - f);
            }
            decay.put(start, e, 0, length);
            out.put(start, levels, 0, length);
            if (tally != null) {
                tally.add(levels, start, length);
            }
        });
    }

    /** y in {@code soft} becomes the slope 2y(1 - y), the spikes [y &gt; 1/2] go to {@code out}. */
    private static void fromSoft(int size, FloatBuffer soft, FloatBuffer out, SpikeTally tally) {
        ElementBlocks.forEach(size, (start, length) -> {
            float[] y = ElementBlocks.scratch(0);
            float[] fired = ElementBlocks.scratch(1);
            soft.get(start, y, 0, length);
            for (int i = 0; i < length; i++) {
                fired[i] = BranchFreeStep.of(y[i] - 0.5f);
                y[i] = 2f * y[i] * (1f - y[i]);
            }
            soft.put(start, y, 0, length);
            out.put(start, fired, 0, length);
            if (tally != null) {
                tally.add(fired, start, length);
            }
        });
    }

    @Override
    public void backward(GradientCollector collector) {
        NDArray gradient = BackwardTape.gradientOf(spikes);
        if (gradient == null) {
            slope.close();
            return;
        }
        try (NDArray byInput = spikes.getManager().create(spikes.getShape(), DataType.FLOAT32)) {
            ElementBlocks.scaledGradient(gradient, slope, Normaliser.IDENTITY, byInput);
            gradient.close();
            slope.close();
            BackwardTape.backward(input, byInput);
        }
    }
}
