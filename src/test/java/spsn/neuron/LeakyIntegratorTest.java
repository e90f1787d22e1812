package spsn.neuron;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import spsn.EngineTest;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeakyIntegratorTest extends EngineTest {

    /** The no-reset recurrence in double precision: the independent reference. */
    static double[] recurrence(float[] x, int b, int steps, int h, int neurons, Decay d) {
        double[] mem = new double[steps];
        double syn = 0;
        double m = 0;
        for (int t = 0; t < steps; t++) {
            syn = d.alpha() * syn + x[(b * steps + t) * neurons + h];
            m = d.beta() * m + (1 - (double) d.beta()) * syn;
            mem[t] = m;
        }
        return mem;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 50, 63, 64, 65, 129, 1000})
    void fftEqualsSequentialRecurrence(int steps) {
        assertEqualsRecurrence(steps, LeakyIntegrator.Method.FFT);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 50, 63, 64, 65, 129, 1000})
    void chunkedScanEqualsSequentialRecurrence(int steps) {
        assertEqualsRecurrence(steps, LeakyIntegrator.Method.CHUNKED);
    }

    private static void assertEqualsRecurrence(int steps, LeakyIntegrator.Method method) {
        Decay decay = Decay.of(0.015, 0.025, Decay.DT);
        int batch = 2;
        int neurons = 3;
        Random random = new Random(steps);
        float[] x = new float[batch * steps * neurons];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        try (NDManager scope = manager.newSubManager();
             LeakyIntegrator integrator = new LeakyIntegrator(decay, scope, method)) {
            float[] mem = integrator.integrate(scope.create(x, new Shape(batch, steps, neurons))).toFloatArray();
            double maxError = 0;
            for (int b = 0; b < batch; b++) {
                for (int h = 0; h < neurons; h++) {
                    double[] expected = recurrence(x, b, steps, h, neurons, decay);
                    for (int t = 0; t < steps; t++) {
                        maxError = Math.max(maxError, Math.abs(expected[t] - mem[(b * steps + t) * neurons + h]));
                    }
                }
            }
            assertTrue(maxError < 2e-5, method + ": max |integrator - recurrence| = " + maxError);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 50, 130})
    void laterInputsNeverLeakIntoEarlierOutputs(int steps) {
        for (LeakyIntegrator.Method method : LeakyIntegrator.Method.values()) {
            assertNoLeak(steps, method);
        }
    }

    private static void assertNoLeak(int steps, LeakyIntegrator.Method method) {
        // The original's circular convolution leaks a late input into early outputs for short T.
        Decay decay = Decay.of(0.02, 0.02, Decay.DT);
        float[] x = new float[steps];
        x[steps - 1] = 1000f;
        try (NDManager scope = manager.newSubManager();
             LeakyIntegrator integrator = new LeakyIntegrator(decay, scope, method)) {
            NDArray mem = integrator.integrateTimeMajor(scope.create(x, new Shape(steps, 1, 1)));
            float[] values = mem.toFloatArray();
            for (int t = 0; t < steps - 1; t++) {
                assertEquals(0f, values[t], 1e-3f, method + ": output " + t + " sees the input at " + (steps - 1));
            }
            assertEquals(1000f * (1 - decay.beta()), values[steps - 1], 1e-2f);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 550, 1100})
    void fftLengthIsLongEnoughAndSmooth(int steps) {
        int n = LeakyIntegrator.fftLength(steps);
        assertTrue(n >= 2 * steps && n % 2 == 0, "n=" + n);
        int m = n;
        for (int p : new int[] {2, 3, 5}) {
            while (m % p == 0) {
                m /= p;
            }
        }
        assertEquals(1, m);
    }

    @ParameterizedTest
    @ValueSource(ints = {50, 300})
    void gradientSurvivesGarbageCollection(int steps) throws InterruptedException {
        for (LeakyIntegrator.Method method : LeakyIntegrator.Method.values()) {
            try (NDManager scope = manager.newSubManager();
                 LeakyIntegrator integrator = new LeakyIntegrator(Decay.of(0.02, 0.03, Decay.DT), scope, method)) {
                GcSafety.assertGradientSurvivesGc(scope, new Shape(steps, 3, 4), integrator::integrateTimeMajor);
            }
        }
    }
}
