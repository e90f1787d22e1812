package spsn.neuron;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import spsn.io.HostFloats;
import spsn.neuron.spike.Surrogate;

/**
 * The feed-forward LIF layer computed by {@link LifRecurrence} on the tensors' own memory, joined
 * to autograd as a {@link BackwardTape} step (like {@link RecurrentIntegration}): the spikes are a
 * leaf whose gradient, after autograd's pass, runs the reverse loop; dL/dx and the gradients of
 * the factors that learn go on by backward passes. CPU only.
 */
public final class RecurrentLif implements BackwardTape.Step {

    /** A decay factor or threshold: its values, and its tensor when it learns (null when fixed). */
    public record Factor(float[] values, NDArray learnt) {

        public static Factor fixed(float value) {
            return new Factor(new float[] {value}, null);
        }

        /** The tensor's current values (one, or one per neuron), with it in the graph. */
        public static Factor learnt(NDArray tensor) {
            return new Factor(tensor.toFloatArray(), tensor);
        }
    }

    private final LifRecurrence recurrence;
    private final NDArray input;
    private final NDArray spikes;
    private final NDArray beforeReset;
    private final NDArray synapse;
    private final Factor[] factors;

    private RecurrentLif(LifRecurrence recurrence, NDArray input, NDArray spikes, NDArray beforeReset,
                         NDArray synapse, Factor[] factors) {
        this.recurrence = recurrence;
        this.input = input;
        this.spikes = spikes;
        this.beforeReset = beforeReset;
        this.synapse = synapse;
        this.factors = factors;
    }

    /**
     * Spikes for currents x [T, ..., H] (time first). With a tape and a gradient being recorded,
     * they join the graph through a step on {@code tape} ({@code tape.backward} must follow the
     * loss's backward pass), with {@code surrogate}'s gradient; otherwise plain values. The spikes
     * are tallied in {@code tally} (null: not).
     */
    public static NDArray spikes(NDArray x, Factor alpha, Factor beta, Factor threshold, Surrogate surrogate,
                                 BackwardTape tape, SpikeTally tally) {
        if (!HostFloats.onHost(x.getDevice())) {
            throw new IllegalStateException("the Java LIF runs on the CPU only; use the engine's");
        }
        Shape shape = x.getShape();
        int steps = (int) shape.get(0);
        int columns = Math.toIntExact(shape.size() / Math.max(steps, 1));
        int neurons = shape.dimension() > 1 ? (int) shape.get(shape.dimension() - 1) : 1;
        Factor[] factors = {alpha, beta, threshold};
        boolean graph = tape != null && BackwardTape.recording();
        boolean learns = graph && (alpha.learnt() != null || beta.learnt() != null || threshold.learnt() != null);
        LifRecurrence recurrence = new LifRecurrence(alpha.values(), beta.values(), threshold.values(), surrogate,
                steps, columns, neurons);
        NDManager scope = x.getManager();
        NDArray spikes = scope.create(shape, DataType.FLOAT32);
        try (NDArray scratch = graph ? null : scope.create(shape, DataType.FLOAT32)) {
            NDArray beforeReset = graph ? scope.create(shape, DataType.FLOAT32) : scratch;
            NDArray synapse = learns ? scope.create(shape, DataType.FLOAT32) : null;
            if (tally != null) {
                tally.start(shape);
            }
            recurrence.forward(RecurrentIntegration.floats(x), RecurrentIntegration.floats(spikes),
                    RecurrentIntegration.floats(beforeReset), synapse == null ? null : RecurrentIntegration.floats(synapse),
                    tally);
            if (!graph) {
                return spikes;
            }
            spikes.setRequiresGradient(true);
            // own handles: the caller may close x and the returned view
            tape.add(new RecurrentLif(recurrence, x.reshape(shape), spikes, beforeReset, synapse, factors));
            return tape.output(spikes);
        }
    }

    @Override
    public void backward(GradientCollector collector) {
        NDArray gradient = BackwardTape.gradientOf(spikes);
        if (gradient == null) {
            return;
        }
        NDManager scope = spikes.getManager();
        try (NDArray byInput = scope.create(spikes.getShape(), DataType.FLOAT32)) {
            LifRecurrence.FactorGradients byFactor = recurrence.backward(RecurrentIntegration.floats(gradient),
                    RecurrentIntegration.floats(byInput), RecurrentIntegration.floats(beforeReset),
                    synapse == null ? null : RecurrentIntegration.floats(synapse));
            gradient.close();
            BackwardTape.backward(input, byInput);
            if (byFactor != null) {
                float[][] values = {byFactor.alpha(), byFactor.beta(), byFactor.threshold()};
                for (int i = 0; i < factors.length; i++) {
                    NDArray learnt = factors[i].learnt();
                    if (learnt != null) {
                        // made from Java data: stays open with the scope (see Scalars)
                        BackwardTape.backward(learnt, scope.create(values[i], learnt.getShape()));
                    }
                }
            }
        }
    }
}
