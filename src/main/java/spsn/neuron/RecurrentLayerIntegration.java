package spsn.neuron;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import spsn.io.HostFloats;

import java.nio.FloatBuffer;

import static spsn.neuron.RecurrentIntegration.floats;

/**
 * The two integrations of ParaLIF's recurrent layer (see {@link ParallelDynamics}) on the Java
 * recurrence, with the array operations around them folded into its loops. Written as engine
 * operations they are a shift, two sums and a second use of the current, each a pass over an
 * activation-sized array forward and one or two backward; here:
 * <ul>
 *   <li>V_h = integrate(X) is written one step late into an array of T + 1 steps whose first step
 *       is zero, so the shifted membrane the recurrent state is made of is a view of it;</li>
 *   <li>V = V_h + integrate(X + R) reads X, R and V_h where the second recurrence runs;</li>
 *   <li>backward, the second integration hands dL/dV_h and its part of dL/dX to the first in
 *       Java, so X gets one backward pass and the sums none.</li>
 * </ul>
 * The same float operations in the same order as the engine's sums, so the values are those of
 * the Java integration written out op by op. CPU only.
 */
public final class RecurrentLayerIntegration {

    private final BackwardTape tape;
    private final Shape shape;
    private final int steps;
    private final int columns;
    private final int neurons;
    private final NDArray input;
    /** V_h one step late: [T + 1, ...], step 0 zero; a leaf when a gradient is recorded. */
    private final NDArray delayed;
    /** Steps 1..T of {@link #delayed}: V_h itself. */
    private final NDArray hidden;
    private final boolean graph;
    private final First first;

    private RecurrentLayerIntegration(NDArray x, DecayFactors factors, BackwardTape tape) {
        this.tape = tape;
        this.shape = x.getShape();
        this.steps = (int) shape.get(0);
        this.columns = Math.toIntExact(shape.size() / Math.max(steps, 1));
        this.neurons = shape.dimension() > 1 ? (int) shape.get(shape.dimension() - 1) : 1;
        this.graph = tape != null && BackwardTape.recording();
        NDManager scope = x.getManager();
        long[] longer = shape.getShape().clone();
        longer[0] = steps + 1L;
        delayed = scope.create(new Shape(longer), DataType.FLOAT32);
        floats(delayed).put(0, new float[columns]);
        hidden = delayed.get("1:");
        boolean decays = graph && factors.learns();
        LeakyRecurrence recurrence = recurrence(factors);
        NDArray synapse = decays ? scope.create(shape, DataType.FLOAT32) : null;
        recurrence.forward(floats(x), null, null, floats(hidden), null, synapse == null ? null : floats(synapse));
        if (graph) {
            delayed.setRequiresGradient(true);
            // own handle: the caller may close x
            input = x.reshape(shape);
            first = new First(recurrence, synapse, decays ? factors : null);
            tape.add(first);
        } else {
            input = x;
            first = null;
        }
    }

    /**
     * The first integration, V_h = integrate(x) for currents x [T, ..., H] (time first), on
     * {@code tape} when a gradient is being recorded (then {@code tape.backward} must follow the
     * loss's backward pass).
     */
    public static RecurrentLayerIntegration first(NDArray x, DecayFactors factors, BackwardTape tape) {
        if (!HostFloats.onHost(x.getDevice())) {
            throw new IllegalStateException("the Java integration runs on the CPU only; use the engine's");
        }
        return new RecurrentLayerIntegration(x, factors, tape);
    }

    /** V_h delayed by one step (zero at step 0), in the graph: a view, for the caller to close. */
    public NDArray shiftedMembrane() {
        return delayed.get(":" + steps);
    }

    /**
     * V = V_h + integrate(x + r) for the recurrent currents r [T, ..., H], in the graph through the
     * tape when the first integration is; {@code factors}: this integration's (the same values as
     * the first's; tensors of their own when they learn, so that each has its own backward pass).
     */
    public NDArray second(NDArray r, DecayFactors factors) {
        NDManager scope = input.getManager();
        boolean decays = graph && factors.learns();
        LeakyRecurrence recurrence = recurrence(factors);
        NDArray membrane = scope.create(shape, DataType.FLOAT32);
        NDArray own = decays ? scope.create(shape, DataType.FLOAT32) : null;
        NDArray synapse = decays ? scope.create(shape, DataType.FLOAT32) : null;
        recurrence.forward(floats(input), floats(r), floats(hidden), floats(membrane),
                own == null ? null : floats(own), synapse == null ? null : floats(synapse));
        if (!graph) {
            return membrane;
        }
        membrane.setRequiresGradient(true);
        tape.add(new Second(recurrence, r.reshape(r.getShape()), membrane, own, synapse, decays ? factors : null));
        return membrane.reshape(shape);
    }

    private LeakyRecurrence recurrence(DecayFactors factors) {
        return new LeakyRecurrence(factors.alpha(), factors.beta(), steps, columns, neurons);
    }

    /** The decays' gradients seeded into their tensors (made from Java data: they stay with the scope). */
    private static void seed(DecayFactors factors, LeakyRecurrence.DecayGradients gradients, NDManager scope) {
        BackwardTape.backward(factors.alphaTensor(), scope.create(gradients.alpha(), factors.alphaTensor().getShape()));
        BackwardTape.backward(factors.betaTensor(), scope.create(gradients.beta(), factors.betaTensor().getShape()));
    }

    /** The second integration's backward pass: into r, and what it owes V_h and x to {@link First}. */
    private final class Second implements BackwardTape.Step {

        private final LeakyRecurrence recurrence;
        private final NDArray recurrentInput;
        private final NDArray membrane;
        private final NDArray own;
        private final NDArray synapse;
        private final DecayFactors learning;

        Second(LeakyRecurrence recurrence, NDArray recurrentInput, NDArray membrane, NDArray own, NDArray synapse,
               DecayFactors learning) {
            this.recurrence = recurrence;
            this.recurrentInput = recurrentInput;
            this.membrane = membrane;
            this.own = own;
            this.synapse = synapse;
            this.learning = learning;
        }

        @Override
        public void backward(GradientCollector collector) {
            NDArray gradient = BackwardTape.gradientOf(membrane);
            if (gradient == null) {
                return; // nothing downstream reached V: V_h and x get nothing from here
            }
            NDManager scope = membrane.getManager();
            // dL/d(x + r), the same for both; engine memory, handed on to the first integration
            NDArray byCurrents = scope.create(shape, DataType.FLOAT32);
            LeakyRecurrence.DecayGradients decays = recurrence.backward(floats(gradient), floats(byCurrents),
                    own == null ? null : floats(own), synapse == null ? null : floats(synapse));
            BackwardTape.backward(recurrentInput, byCurrents);
            if (learning != null) {
                seed(learning, decays, scope);
            }
            // dL/dV_h = dL/dV (V = V_h + ...) and dL/dx's second part
            first.owed(gradient, byCurrents);
        }
    }

    /** The first integration's backward pass, with what the second one handed on. */
    private final class First implements BackwardTape.Step {

        private final LeakyRecurrence recurrence;
        private final NDArray synapse;
        private final DecayFactors learning;
        private NDArray owedByMembrane;
        private NDArray owedByInput;

        First(LeakyRecurrence recurrence, NDArray synapse, DecayFactors learning) {
            this.recurrence = recurrence;
            this.synapse = synapse;
            this.learning = learning;
        }

        void owed(NDArray byMembrane, NDArray byInput) {
            owedByMembrane = byMembrane;
            owedByInput = byInput;
        }

        @Override
        public void backward(GradientCollector collector) {
            NDArray gradient = BackwardTape.gradientOf(delayed);
            try {
                if (gradient == null && owedByMembrane == null) {
                    return; // nothing downstream reached V_h
                }
                // steps 1..T of the delayed membrane are V_h's; step 0 is the constant zero
                FloatBuffer byHidden = gradient == null ? null : floats(gradient).slice(columns, steps * columns);
                NDManager scope = delayed.getManager();
                try (NDArray byInput = scope.create(shape, DataType.FLOAT32)) {
                    LeakyRecurrence.DecayGradients decays = recurrence.backward(byHidden,
                            owedByMembrane == null ? null : floats(owedByMembrane), floats(byInput),
                            owedByInput == null ? null : floats(owedByInput),
                            synapse == null ? null : floats(hidden), synapse == null ? null : floats(synapse));
                    closeOwed();
                    BackwardTape.backward(input, byInput);
                    if (learning != null) {
                        seed(learning, decays, scope);
                    }
                }
            } finally {
                if (gradient != null) {
                    gradient.close();
                }
                closeOwed();
            }
        }

        private void closeOwed() {
            if (owedByMembrane != null) {
                owedByMembrane.close();
                owedByInput.close();
                owedByMembrane = null;
                owedByInput = null;
            }
        }
    }
}
