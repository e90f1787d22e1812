package spsn.neuron.spike;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import spsn.io.HostFloats;
import spsn.neuron.BackwardTape;

import java.nio.FloatBuffer;

/**
 * H(x) with a surrogate's gradient as one Java pass each way, joined to autograd as a
 * {@link BackwardTape} step: forward [x &gt; 0], backward dL/dx = dL/dH * slope(x). The engine's
 * way ({@link Surrogate#heaviside}) takes eight element-wise operations forward and about as many
 * backward. CPU only.
 */
final class JavaHeaviside implements BackwardTape.Step {

    private final Surrogate surrogate;
    private final NDArray input;
    private final NDArray step;

    private JavaHeaviside(Surrogate surrogate, NDArray input, NDArray step) {
        this.surrogate = surrogate;
        this.input = input;
        this.step = step;
    }

    /** H(x) for any x; in the graph through {@code tape} when a gradient is being recorded. */
    static NDArray apply(NDArray x, Surrogate surrogate, BackwardTape tape) {
        if (!HostFloats.onHost(x.getDevice())) {
            throw new IllegalStateException("the Java Heaviside step runs on the CPU only; use the engine's");
        }
        Shape shape = x.getShape();
        NDManager scope = x.getManager();
        NDArray step = scope.create(shape, DataType.FLOAT32);
        FloatBuffer in = floats(x);
        FloatBuffer out = floats(step);
        int size = Math.toIntExact(shape.size());
        ElementBlocks.forEach(size, (first, length) -> {
            float[] values = new float[length];
            in.get(first, values, 0, length);
            for (int i = 0; i < length; i++) {
                values[i] = values[i] > 0 ? 1f : 0f;
            }
            out.put(first, values, 0, length);
        });
        if (!BackwardTape.recording()) {
            return step;
        }
        step.setRequiresGradient(true);
        // own handles: the caller may close x and the returned view
        tape.add(new JavaHeaviside(surrogate, x.reshape(shape), step));
        return step.reshape(shape);
    }

    @Override
    public void backward(GradientCollector collector) {
        NDArray gradient = BackwardTape.gradientOf(step);
        if (gradient == null) {
            return;
        }
        NDManager scope = step.getManager();
        try (NDArray byInput = scope.create(step.getShape(), DataType.FLOAT32)) {
            FloatBuffer g = floats(gradient);
            FloatBuffer x = floats(input);
            FloatBuffer out = floats(byInput);
            int size = Math.toIntExact(step.getShape().size());
            ElementBlocks.forEach(size, (first, length) -> {
                float[] grads = new float[length];
                float[] values = new float[length];
                g.get(first, grads, 0, length);
                x.get(first, values, 0, length);
                for (int i = 0; i < length; i++) {
                    grads[i] *= surrogate.slope(values[i]);
                }
                out.put(first, grads, 0, length);
            });
            gradient.close();
            BackwardTape.backward(input, byInput);
        }
    }

    private static FloatBuffer floats(NDArray array) {
        return HostFloats.view(array);
    }
}
