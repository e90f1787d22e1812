package spsn.neuron;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import spsn.EngineTest;
import spsn.neuron.spike.Surrogate;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java LIF loop (RecurrentLif) against the engine's step-by-step autograd of the same
 * equations (LifDynamics's recurrent form with a zero feedback, which takes per-neuron factors):
 * spikes, dL/dx and the gradients of learnt decays and thresholds, one value or one per neuron,
 * both surrogates; and the spikes against a plain sequential loop in double precision. Columns
 * (B*H = 550) span two blocks, the second partial.
 */
class RecurrentLifTest extends EngineTest {

    private static final int BATCH = 11;
    private static final int NEURONS = 50;

    private static float[] gaussian(int n, long seed, double scale, double mean) {
        Random random = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (mean + scale * random.nextGaussian());
        }
        return x;
    }

    private static float[] factors(boolean perNeuron, float low, float high, long seed) {
        if (!perNeuron) {
            return new float[] {(low + high) / 2};
        }
        Random random = new Random(seed);
        float[] f = new float[NEURONS];
        for (int h = 0; h < NEURONS; h++) {
            f[h] = low + (high - low) * random.nextFloat();
        }
        return f;
    }

    private static NDArray tensor(NDManager scope, float[] values) {
        return values.length == 1 ? scope.create(values[0]) : scope.create(values);
    }

    /** Spikes, then dL/dx, dL/dalpha, dL/dbeta, dL/dtheta of sum(w * spikes), by Java or by the engine. */
    private static float[][] run(float[] x, float[] w, int steps, float[] alpha, float[] beta, float[] theta,
                                 Surrogate surrogate, boolean java) {
        Shape shape = new Shape(steps, BATCH, NEURONS);
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = scope.create(x, shape);
            input.setRequiresGradient(true);
            NDArray a = tensor(scope, alpha);
            NDArray b = tensor(scope, beta);
            NDArray th = tensor(scope, theta);
            for (NDArray p : new NDArray[] {a, b, th}) {
                p.setRequiresGradient(true);
            }
            BackwardTape tape = new BackwardTape();
            float[] spikes;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray s;
                if (java) {
                    SpikeTally tally = new SpikeTally(steps - 1);
                    s = RecurrentLif.spikes(input, RecurrentLif.Factor.learnt(a), RecurrentLif.Factor.learnt(b),
                            RecurrentLif.Factor.learnt(th), surrogate, tape, tally);
                    assertTallied(tally, s.toFloatArray(), steps - 1);
                } else {
                    NDArray oneMinusBeta = b.neg().add(1f);
                    s = LifDynamics.recurrentSpikesTimeMajor(input, a, b, oneMinusBeta, th, surrogate,
                            NDArray::zerosLike, false);
                }
                spikes = s.toFloatArray();
                gc.backward(s.mul(scope.create(w, shape)).sum());
                tape.backward(gc);
            }
            return new float[][] {spikes, input.getGradient().toFloatArray(), a.getGradient().toFloatArray(),
                b.getGradient().toFloatArray(), th.getGradient().toFloatArray()};
        }
    }

    /** The tally of the first {@code steps} steps against a count of the spikes. */
    private static void assertTallied(SpikeTally tally, float[] spikes, int steps) {
        double count = 0;
        for (int i = 0; i < steps * BATCH * NEURONS; i++) {
            count += spikes[i];
        }
        assertEquals(count / (steps * BATCH), tally.sumOfRates(), 1e-9, "the spikes tallied");
    }

    private static double maxAbs(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    @ParameterizedTest
    @CsvSource({"200, false, FASTSIG", "200, true, FASTSIG", "60, true, ATAN", "2, false, FASTSIG"})
    void equalsTheEnginesStepByStepAutograd(int steps, boolean perNeuron, Surrogate.Kind kind) {
        int n = steps * BATCH * NEURONS;
        float[] x = gaussian(n, steps, 1.5, 0.4);
        float[] w = gaussian(n, steps + 1, 1, 0);
        float[] alpha = factors(perNeuron, 0.7f, 0.97f, 1);
        float[] beta = factors(perNeuron, 0.8f, 0.97f, 2);
        float[] theta = factors(perNeuron, 0.1f, 0.4f, 3);
        Surrogate surrogate = new Surrogate(kind, kind.defaultScale());
        float[][] java = run(x, w, steps, alpha, beta, theta, surrogate, true);
        float[][] engine = run(x, w, steps, alpha, beta, theta, surrogate, false);
        assertArrayEquals(engine[0], java[0], "spikes");
        int fired = 0;
        for (float s : java[0]) {
            fired += (int) s;
        }
        assertTrue(steps < 10 || (fired > n / 50 && fired < n * 3 / 4), "a meaningful number of spikes: " + fired);
        String[] names = {"spikes", "dL/dx", "dL/dalpha", "dL/dbeta", "dL/dtheta"};
        for (int i = 1; i < names.length; i++) {
            double tolerance = 1e-4 * Math.max(maxAbs(engine[i]), 1e-6);
            for (int k = 0; k < engine[i].length; k++) {
                assertEquals(engine[i][k], java[i][k], tolerance, names[i] + " at " + k);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"500"})
    void spikesEqualAPlainLoopInDoublePrecision(int steps) {
        int n = steps * BATCH * NEURONS;
        float[] x = gaussian(n, 9, 1.5, 0.3);
        Decay d = Decay.of(0.02, 0.01, Decay.DT);
        float[] spikes;
        try (NDManager scope = manager.newSubManager()) {
            spikes = RecurrentLif.spikes(scope.create(x, new Shape(steps, BATCH, NEURONS)),
                    RecurrentLif.Factor.fixed(d.alpha()), RecurrentLif.Factor.fixed(d.beta()),
                    RecurrentLif.Factor.fixed(LifDynamics.THRESHOLD), Surrogate.DEFAULT, null, null).toFloatArray();
        }
        int fired = 0;
        int checked = 0;
        for (int column = 0; column < BATCH * NEURONS; column++) {
            double syn = 0;
            double mem = 0;
            for (int t = 0; t < steps; t++) {
                int i = t * BATCH * NEURONS + column;
                syn = d.alpha() * syn + x[i];
                mem = d.beta() * mem + (1 - (double) d.beta()) * syn;
                if (Math.abs(mem - 1) < 1e-4) {
                    break; // float32 rounding may decide this step otherwise, and so the rest
                }
                double spike = mem > 1 ? 1 : 0;
                assertEquals(spike, spikes[i], "spike of column " + column + " at step " + t);
                mem *= 1 - spike;
                fired += (int) spike;
                checked++;
            }
        }
        assertTrue(checked > n * 9 / 10 && fired > n / 50, checked + " steps checked, " + fired + " spikes");
    }
}
