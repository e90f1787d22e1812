package spsn.neuron.spike;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import spsn.io.HostFloats;
import spsn.neuron.BackwardTape;
import spsn.neuron.BranchFreeStep;
import spsn.neuron.RunningSums;
import spsn.neuron.SpikeTally;
import spsn.neuron.TinyGradients;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The threshold and delta spikes of {@link ThresholdSpikes} and {@link DeltaSpikes} as one Java
 * pass each way, joined to autograd as a {@link BackwardTape} step: x_t = n_t - n_{t-1} - theta
 * (delta; n_{-1} = 0) or x_t = n_t - theta (threshold), spike = [x &gt; 0]; backward dL/dx =
 * dL/dspike * slope(x), dL/dn_t = dL/dx_t - dL/dx_{t+1} (delta) or dL/dx_t, and dL/dtheta = -sum
 * dL/dx over steps and batch (per neuron for a per-neuron theta). x is formed from n with the
 * engine's operations in the engine's order, so the spikes are the engine's bit for bit for the
 * same n. The engine's way shifts, subtracts twice and steps (about a dozen element-wise passes
 * each way). n = normaliser(mem) is computed outside the graph, tanh as 2 sigmoid(2 mem) - 1 (a
 * few units in the last place from the engine's tanh) and relu(tanh)'s relu in this step's loop
 * (see Normaliser#applyBeforeJavaLoop, #completeInPlace), and the backward pass applies the
 * normaliser's derivative in the same loop (see Normaliser#backward). CPU only; arrays time
 * first, [T, B, H].
 */
final class JavaThresholdCrossing implements BackwardTape.Step {

    private final boolean delta;
    private final Normaliser normaliser;
    /** The membrane, before the normaliser. */
    private final NDArray input;
    /** The normaliser's output, for its derivative; null for the identity. */
    private final NDArray normalised;
    /** The threshold when it learns (it then takes a gradient), else null. */
    private final NDArray threshold;
    private final NDArray spikes;
    /** slope(x), kept from the forward pass. */
    private final NDArray slope;

    private JavaThresholdCrossing(boolean delta, Normaliser normaliser, NDArray input, NDArray normalised,
                                  NDArray threshold, NDArray spikes, NDArray slope) {
        this.delta = delta;
        this.normaliser = normaliser;
        this.input = input;
        this.normalised = normalised;
        this.threshold = threshold;
        this.spikes = spikes;
        this.slope = slope;
    }

    /**
     * Spikes of the normalised membrane {@code n} [T, B, H] against {@code threshold} (a scalar or
     * one per neuron, [H]); in the graph through {@code tape} when a gradient is being recorded;
     * tallied in {@code tally} (null: not).
     */
    static NDArray apply(Normaliser normaliser, NDArray mem, NDArray threshold, boolean delta, Surrogate surrogate,
                         BackwardTape tape, SpikeTally tally) {
        if (!HostFloats.onHost(mem.getDevice())) {
            throw new IllegalStateException("the Java threshold step runs on the CPU only; use the engine's");
        }
        Shape shape = mem.getShape();
        NDManager scope = mem.getManager();
        boolean recording = BackwardTape.recording();
        // outside the graph: the backward pass below takes the normaliser's derivative itself
        NDArray held = mem.stopGradient();
        NDArray n = normaliser.applyBeforeJavaLoop(held);
        if (n != held) {
            held.close();
        }
        NDArray spikes = scope.create(shape, DataType.FLOAT32);
        NDArray slope = recording ? scope.create(shape, DataType.FLOAT32) : null;
        Layout layout = new Layout(shape);
        float[] theta = thresholds(threshold, layout.neurons);
        FloatBuffer in = HostFloats.view(n);
        FloatBuffer out = HostFloats.view(spikes);
        FloatBuffer slopes = recording ? HostFloats.view(slope) : null;
        if (tally != null) {
            tally.start(shape);
        }
        ElementBlocks.forEach(layout.size, (start, length) -> {
            float[] x = ElementBlocks.scratch(0);
            in.get(start, x, 0, length);
            normaliser.toJavaStepValues(x, 0, length);
            normaliser.completeInPlace(x, length);
            if (delta) {
                // n_t - n_{t-1}, the rise, for the block's elements past the first step
                float[] previous = ElementBlocks.scratch(1);
                int first = Math.max(start, layout.stride);
                Arrays.fill(previous, 0, Math.min(first - start, length), 0f);
                if (first < start + length) {
                    in.get(first - layout.stride, previous, first - start, start + length - first);
                    normaliser.toJavaStepValues(previous, first - start, length);
                    normaliser.completeInPlace(previous, length);
                }
                for (int i = 0; i < length; i++) {
                    x[i] = x[i] - previous[i];
                }
            }
            subtract(x, length, theta, start % theta.length);
            float[] fired = ElementBlocks.scratch(2);
            for (int i = 0; i < length; i++) {
                fired[i] = BranchFreeStep.of(x[i]);
            }
            out.put(start, fired, 0, length);
            if (tally != null) {
                tally.add(fired, start, length);
            }
            if (slopes != null) {
                surrogate.slopes(x, length);
                slopes.put(start, x, 0, length);
            }
        });
        if (!recording) {
            n.close();
            return spikes;
        }
        spikes.setRequiresGradient(true);
        // own handles, in the batch's scope: the caller may close n, the threshold and the returned view
        NDArray learnt = null;
        if (tape.takesGradient(threshold)) {
            learnt = threshold.reshape(threshold.getShape());
            learnt.attach(scope);
        }
        NDArray kept = normaliser == Normaliser.IDENTITY ? null : n;
        if (kept == null) {
            n.close();
        }
        tape.add(new JavaThresholdCrossing(delta, normaliser, mem.reshape(shape), kept, learnt, spikes, slope));
        return tape.output(spikes);
    }

    /** x[i] -= theta at element position (first + i) modulo theta's length. */
    private static void subtract(float[] x, int length, float[] theta, int first) {
        if (theta.length == 1) {
            float value = theta[0];
            for (int i = 0; i < length; i++) {
                x[i] = x[i] - value;
            }
            return;
        }
        int position = first;
        for (int i = 0; i < length; i++) {
            x[i] = x[i] - theta[position];
            if (++position == theta.length) {
                position = 0;
            }
        }
    }

    /** theta per element position modulo its length: one value, or one per neuron (the last axis). */
    private static float[] thresholds(NDArray threshold, int neurons) {
        float[] values = threshold.toFloatArray();
        if (values.length != 1 && values.length != neurons) {
            throw new IllegalArgumentException("a threshold of shape " + threshold.getShape() + " for "
                    + neurons + " neurons");
        }
        return values;
    }

    /** Elements, elements per step (B * H) and neurons (H) of a time-first array. */
    private record Layout(int size, int stride, int neurons) {
        Layout(Shape shape) {
            this(Math.toIntExact(shape.size()), Math.toIntExact(shape.size() / shape.get(0)),
                    Math.toIntExact(shape.get(shape.dimension() - 1)));
        }
    }

    @Override
    public void backward(GradientCollector collector) {
        NDArray gradient = BackwardTape.gradientOf(spikes);
        if (gradient == null) {
            slope.close();
            closeNormalised();
            return;
        }
        Shape shape = spikes.getShape();
        Layout layout = new Layout(shape);
        boolean learnt = threshold != null;
        int positions = learnt ? Math.toIntExact(threshold.getShape().size()) : 1;
        NDManager scope = spikes.getManager();
        try (NDArray byInput = scope.create(shape, DataType.FLOAT32)) {
            FloatBuffer g = HostFloats.view(gradient);
            FloatBuffer s = HostFloats.view(slope);
            FloatBuffer out = HostFloats.view(byInput);
            FloatBuffer outputs = normalised == null ? null : HostFloats.view(normalised);
            double[][] byThreshold = new double[ElementBlocks.count(layout.size)][learnt ? positions : 0];
            ElementBlocks.forEach(layout.size, (int block, int start, int length) -> {
                float[] byX = byX(g, s, start, length, 0);
                if (learnt && positions == 1) {
                    byThreshold[block][0] = -RunningSums.of(byX, length);
                } else if (learnt) {
                    double[] sums = byThreshold[block];
                    int position = start % positions;
                    for (int i = 0; i < length; i++) {
                        sums[position] -= byX[i];
                        if (++position == positions) {
                            position = 0;
                        }
                    }
                }
                if (delta) {
                    // minus dL/dx_{t+1}, for the block's elements before the last step
                    int end = Math.min(start + length, layout.size - layout.stride);
                    if (end > start) {
                        float[] next = byX(g, s, start + layout.stride, end - start, 2);
                        for (int i = 0; i < end - start; i++) {
                            byX[i] = byX[i] - next[i];
                        }
                    }
                }
                if (outputs != null) { // dL/dn to dL/dmem (byX's slopes are spent: their scratch is free)
                    float[] n = ElementBlocks.scratch(1);
                    outputs.get(start, n, 0, length);
                    normaliser.toJavaStepValues(n, 0, length);
                    normaliser.backward(byX, n, length);
                }
                TinyGradients.flush(byX, length, normaliser.zeroesGradients());
                out.put(start, byX, 0, length);
            });
            gradient.close();
            slope.close();
            closeNormalised();
            BackwardTape.backward(input, byInput);
            if (learnt) {
                float[] sums = new float[positions];
                for (double[] partial : byThreshold) {
                    for (int p = 0; p < positions; p++) {
                        sums[p] += (float) partial[p];
                    }
                }
                // engine-owned memory: autograd may keep the gradient it is given as the leaf's own,
                // and an array made from a Java array lives in a buffer that the GC frees
                try (NDArray byTheta = scope.create(threshold.getShape(), DataType.FLOAT32)) {
                    HostFloats.write(byTheta, sums);
                    BackwardTape.backward(threshold, byTheta);
                }
            }
        }
    }

    private void closeNormalised() {
        if (normalised != null) {
            normalised.close();
        }
    }

    /** dL/dx = dL/dspike * slope(x) for elements start..start+length, in this thread's scratch arrays. */
    private static float[] byX(FloatBuffer gradient, FloatBuffer slope, int start, int length, int scratch) {
        float[] values = ElementBlocks.scratch(scratch);
        float[] slopes = ElementBlocks.scratch(scratch + 1);
        gradient.get(start, values, 0, length);
        slope.get(start, slopes, 0, length);
        for (int i = 0; i < length; i++) {
            values[i] *= slopes[i];
        }
        return values;
    }
}
