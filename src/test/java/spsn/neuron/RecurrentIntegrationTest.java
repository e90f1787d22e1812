package spsn.neuron;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import spsn.EngineTest;

import java.util.Random;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java recurrence (RecurrentIntegration) against independent references: the recurrence in
 * double precision, the closed-form gradient through the kernel, finite differences for the decay
 * factors, and the engine's chunked scan, forward and backward. Columns (B*H = 550) span two
 * blocks, the second partial.
 */
class RecurrentIntegrationTest extends EngineTest {

    private static final int BATCH = 11;
    private static final int NEURONS = 50;

    private static float[] gaussian(int n, long seed) {
        Random random = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    /** Per-neuron factors between {@code low} and {@code high}. */
    private static float[] factors(float low, float high, long seed) {
        Random random = new Random(seed);
        float[] f = new float[NEURONS];
        for (int h = 0; h < NEURONS; h++) {
            f[h] = low + (high - low) * random.nextFloat();
        }
        return f;
    }

    /** The no-reset recurrence of column (b, h) of time-first x [T, B, H], in double precision. */
    private static double[] reference(float[] x, int steps, int b, int h, double alpha, double beta) {
        double[] mem = new double[steps];
        double syn = 0;
        double m = 0;
        for (int t = 0; t < steps; t++) {
            syn = alpha * syn + x[(t * BATCH + b) * NEURONS + h];
            m = beta * m + (1 - beta) * syn;
            mem[t] = m;
        }
        return mem;
    }

    /** sum of w * mem over everything, by the double-precision reference. */
    private static double referenceLoss(float[] x, float[] w, int steps, double[] alpha, double[] beta) {
        double loss = 0;
        for (int b = 0; b < BATCH; b++) {
            for (int h = 0; h < NEURONS; h++) {
                double[] mem = reference(x, steps, b, h, alpha[alpha.length == 1 ? 0 : h], beta[beta.length == 1 ? 0 : h]);
                for (int t = 0; t < steps; t++) {
                    loss += w[(t * BATCH + b) * NEURONS + h] * mem[t];
                }
            }
        }
        return loss;
    }

    private static double maxAbs(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 50, 129, 1000})
    void forwardEqualsTheSequentialRecurrenceWithPerNeuronDecays(int steps) {
        float[] x = gaussian(steps * BATCH * NEURONS, steps);
        float[] alpha = factors(0.5f, 0.99f, 1);
        float[] beta = factors(0.0f, 0.99f, 2);
        try (NDManager scope = manager.newSubManager()) {
            NDArray mem = LeakyIntegrator.integrateTimeMajor(scope.create(x, new Shape(steps, BATCH, NEURONS)),
                    scope.create(alpha), scope.create(beta), new BackwardTape());
            float[] values = mem.toFloatArray();
            double maxError = 0;
            for (int b = 0; b < BATCH; b++) {
                for (int h = 0; h < NEURONS; h++) {
                    double[] expected = reference(x, steps, b, h, alpha[h], beta[h]);
                    for (int t = 0; t < steps; t++) {
                        maxError = Math.max(maxError, Math.abs(expected[t] - values[(t * BATCH + b) * NEURONS + h]));
                    }
                }
            }
            assertTrue(maxError < 2e-5, "max |java - recurrence| = " + maxError);
        }
    }

    /** Values and dL/dx of sum(w * integrate(x)), with the Java steps (if any) on a tape. */
    private static float[][] valuesAndInputGradient(float[] x, float[] w, Shape shape,
                                                    BiFunction<NDArray, BackwardTape, NDArray> integrate) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = scope.create(x, shape);
            input.setRequiresGradient(true);
            BackwardTape tape = new BackwardTape();
            float[] values;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray mem = integrate.apply(input, tape);
                values = mem.toFloatArray();
                gc.backward(mem.mul(scope.create(w, shape)).sum());
                tape.backward(gc);
            }
            return new float[][] {values, input.getGradient().toFloatArray()};
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 40, 1000})
    void equalsTheChunkedScanForwardAndBackward(int steps) {
        Shape shape = new Shape(steps, BATCH, NEURONS);
        float[] x = gaussian((int) shape.size(), 10 + steps);
        float[] w = gaussian((int) shape.size(), 20 + steps);
        Decay decay = Decay.of(0.015, 0.025, Decay.DT);
        try (NDManager scope = manager.newSubManager(); LeakyIntegrator integrator = new LeakyIntegrator(decay, scope)) {
            float[][] java = valuesAndInputGradient(x, w, shape, integrator::integrateTimeMajor);
            float[][] engine = valuesAndInputGradient(x, w, shape, (in, tape) -> integrator.integrateTimeMajor(in));
            for (int i = 0; i < 2; i++) {
                double tolerance = 2e-5 * Math.max(maxAbs(engine[i]), 1);
                for (int k = 0; k < engine[i].length; k++) {
                    assertEquals(engine[i][k], java[i][k], tolerance, (i == 0 ? "value " : "gradient ") + k);
                }
            }
        }
    }

    @Test
    void inputGradientIsTheKernelReadBackwards() {
        // dL/dx_s = sum over t >= s of w_t h[t - s]: the transposed convolution, in double
        int steps = 300;
        Shape shape = new Shape(steps, BATCH, NEURONS);
        float[] x = gaussian((int) shape.size(), 3);
        float[] w = gaussian((int) shape.size(), 4);
        Decay decay = Decay.of(0.012, 0.03, Decay.DT);
        double[] kernel = decay.kernel(steps);
        float[] gradient;
        try (NDManager scope = manager.newSubManager(); LeakyIntegrator integrator = new LeakyIntegrator(decay, scope)) {
            gradient = valuesAndInputGradient(x, w, shape, integrator::integrateTimeMajor)[1];
        }
        double maxError = 0;
        for (int column = 0; column < BATCH * NEURONS; column++) {
            for (int s = 0; s < steps; s++) {
                double expected = 0;
                for (int t = s; t < steps; t++) {
                    expected += w[t * BATCH * NEURONS + column] * kernel[t - s];
                }
                maxError = Math.max(maxError, Math.abs(expected - gradient[s * BATCH * NEURONS + column]));
            }
        }
        assertTrue(maxError < 2e-5, "max |dL/dx - reference| = " + maxError);
    }

    /** dL/dalpha and dL/dbeta of sum(w * integrate(x)) for leaf factors, with the Java steps on a tape. */
    private static float[][] decayGradients(float[] x, float[] w, Shape shape, float[] alpha, float[] beta,
                                            boolean java) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = scope.create(x, shape);
            NDArray a = alpha.length == 1 ? scope.create(alpha[0]) : scope.create(alpha);
            NDArray b = beta.length == 1 ? scope.create(beta[0]) : scope.create(beta);
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            BackwardTape tape = new BackwardTape();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray mem = java ? LeakyIntegrator.integrateTimeMajor(input, a, b, tape)
                        : LeakyIntegrator.integrateTimeMajor(input, a, b);
                gc.backward(mem.mul(scope.create(w, shape)).sum());
                tape.backward(gc);
            }
            return new float[][] {a.getGradient().toFloatArray(), b.getGradient().toFloatArray()};
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void decayGradientsMatchFiniteDifferences(boolean perNeuron) {
        int steps = 200;
        Shape shape = new Shape(steps, BATCH, NEURONS);
        float[] x = gaussian((int) shape.size(), 5);
        float[] w = gaussian((int) shape.size(), 6);
        float[] alpha = perNeuron ? factors(0.6f, 0.97f, 7) : new float[] {0.93f};
        float[] beta = perNeuron ? factors(0.3f, 0.97f, 8) : new float[] {0.95f};
        float[][] gradients = decayGradients(x, w, shape, alpha, beta, true);
        for (int which = 0; which < 2; which++) {
            float[] factors = which == 0 ? alpha : beta;
            for (int i = 0; i < factors.length; i++) {
                double eps = 1e-5;
                double[][] plus = {toDouble(alpha), toDouble(beta)};
                double[][] minus = {toDouble(alpha), toDouble(beta)};
                plus[which][i] += eps;
                minus[which][i] -= eps;
                double expected = (referenceLoss(x, w, steps, plus[0], plus[1])
                        - referenceLoss(x, w, steps, minus[0], minus[1])) / (2 * eps);
                double tolerance = 1e-4 * Math.max(Math.abs(expected), 1);
                assertEquals(expected, gradients[which][i], tolerance,
                        (which == 0 ? "dL/dalpha" : "dL/dbeta") + (perNeuron ? " of neuron " + i : ""));
            }
        }
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    @Test
    void decayGradientsEqualTheChunkedScans() {
        int steps = 130;
        Shape shape = new Shape(steps, BATCH, NEURONS);
        float[] x = gaussian((int) shape.size(), 11);
        float[] w = gaussian((int) shape.size(), 12);
        float[] alpha = {0.72f};
        float[] beta = {0.9f};
        float[][] java = decayGradients(x, w, shape, alpha, beta, true);
        float[][] engine = decayGradients(x, w, shape, alpha, beta, false);
        for (int which = 0; which < 2; which++) {
            assertEquals(engine[which][0], java[which][0], 1e-4 * Math.max(Math.abs(engine[which][0]), 1),
                    which == 0 ? "dL/dalpha" : "dL/dbeta");
        }
    }

    @Test
    void outsideAGradientCollectorItGivesPlainValues() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(gaussian(60, 1), new Shape(20, 1, 3));
            x.setRequiresGradient(true);
            BackwardTape tape = new BackwardTape();
            NDArray mem = LeakyIntegrator.integrateTimeMajor(x, scope.create(0.9f), scope.create(0.8f), tape);
            assertFalse(BackwardTape.requiresGradient(mem));
            assertTrue(tape.isEmpty(), "no backward step outside a gradient collector");
            assertEquals(20 * 3, mem.toFloatArray().length);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {50, 300})
    void gradientSurvivesGarbageCollection(int steps) throws InterruptedException {
        try (NDManager scope = manager.newSubManager();
             LeakyIntegrator integrator = new LeakyIntegrator(Decay.of(0.02, 0.03, Decay.DT), scope)) {
            GcSafety.assertGradientSurvivesGcWithTape(scope, new Shape(steps, 3, 4), integrator::integrateTimeMajor);
        }
    }
}
