package spsn.neuron;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.training.GradientCollector;
import spsn.io.HostFloats;

import java.nio.FloatBuffer;

/**
 * The integration computed by {@link LeakyRecurrence} on the tensors' own memory, joined to
 * autograd as a {@link BackwardTape} step: the membrane is a leaf, and after autograd's pass its
 * gradient runs the reverse-time recurrence, whose dL/dx (and, for decays that learn, dL/dalpha
 * and dL/dbeta) go on by backward passes seeded with them. CPU only.
 */
final class RecurrentIntegration implements BackwardTape.Step {

    private final LeakyRecurrence recurrence;
    private final NDArray input;
    private final NDArray membrane;
    private final NDArray synapse;
    private final NDArray alpha;
    private final NDArray beta;

    private RecurrentIntegration(LeakyRecurrence recurrence, NDArray input, NDArray membrane, NDArray synapse,
                                 NDArray alpha, NDArray beta) {
        this.recurrence = recurrence;
        this.input = input;
        this.membrane = membrane;
        this.synapse = synapse;
        this.alpha = alpha;
        this.beta = beta;
    }

    /** Fixed decay factors: see {@link #integrate(NDArray, NDArray, NDArray, BackwardTape)}. */
    static NDArray integrate(NDArray x, Decay decay, BackwardTape tape) {
        return run(x, new float[] {decay.alpha()}, new float[] {decay.beta()}, null, null, tape);
    }

    /**
     * The membrane for currents x [T, ..., H] (time first, contiguous or not), with decay factors
     * as tensors of one value or one per neuron (H), which get their gradient if they are in a graph. With a
     * tape and a gradient being recorded, the result joins the graph through a step on
     * {@code tape} (so {@code tape.backward} must follow the loss's backward pass); otherwise it
     * is a plain array of values.
     */
    static NDArray integrate(NDArray x, NDArray alpha, NDArray beta, BackwardTape tape) {
        return run(x, alpha.toFloatArray(), beta.toFloatArray(), alpha, beta, tape);
    }

    private static NDArray run(NDArray x, float[] alphaValues, float[] betaValues, NDArray alpha, NDArray beta,
                               BackwardTape tape) {
        if (!HostFloats.onHost(x.getDevice())) {
            throw new IllegalStateException("the Java integration runs on the CPU only; use the engine's");
        }
        Shape shape = x.getShape();
        int steps = (int) shape.get(0);
        int columns = Math.toIntExact(shape.size() / Math.max(steps, 1));
        int neurons = shape.dimension() > 1 ? (int) shape.get(shape.dimension() - 1) : 1;
        // factors given as tensors may be in the graph (DJL cannot tell: see BackwardTape)
        boolean graph = tape != null && BackwardTape.recording();
        boolean decays = graph && alpha != null;
        LeakyRecurrence recurrence = new LeakyRecurrence(alphaValues, betaValues, steps, columns, neurons);
        NDManager scope = x.getManager();
        NDArray membrane = scope.create(shape, DataType.FLOAT32);
        NDArray synapse = decays ? scope.create(shape, DataType.FLOAT32) : null;
        recurrence.forward(floats(x), floats(membrane), synapse == null ? null : floats(synapse));
        if (!graph) {
            return membrane;
        }
        membrane.setRequiresGradient(true);
        // own handles: the caller may close x and the returned view
        NDArray input = x.reshape(shape);
        tape.add(new RecurrentIntegration(recurrence, input, membrane, synapse, decays ? alpha : null,
                decays ? beta : null));
        return membrane.reshape(shape);
    }

    @Override
    public void backward(GradientCollector collector) {
        NDArray gradient = BackwardTape.gradientOf(membrane);
        if (gradient == null) {
            return; // nothing downstream reached the membrane
        }
        NDManager scope = membrane.getManager();
        // engine memory: safe to close once the backward pass has taken it
        try (NDArray byInput = scope.create(membrane.getShape(), DataType.FLOAT32)) {
            LeakyRecurrence.DecayGradients decays = recurrence.backward(floats(gradient), floats(byInput),
                    synapse == null ? null : floats(membrane), synapse == null ? null : floats(synapse));
            gradient.close();
            BackwardTape.backward(input, byInput);
            if (alpha != null) {
                seed(alpha, decays.alpha(), scope);
            }
            if (beta != null) {
                seed(beta, decays.beta(), scope);
            }
        }
    }

    /** Made from Java data, the seed stays open with the scope (see Scalars). */
    private static void seed(NDArray factor, float[] gradient, NDManager scope) {
        BackwardTape.backward(factor, scope.create(gradient, factor.getShape()));
    }

    /** The array's values as floats over its memory (a contiguous copy's if it is not contiguous). */
    static FloatBuffer floats(NDArray array) {
        return ((PtNDArray) array).toByteBuffer(true).asFloatBuffer();
    }
}
