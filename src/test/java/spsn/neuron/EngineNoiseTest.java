package spsn.neuron;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import spsn.EngineTest;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's noise (what a GPU run draws), checked on the CPU's generator: it keeps
 * CounterNoise's rules (a key and the draw's position fix the values; the same grid of uniforms
 * in (0, 1)) and its distributions, though not its numbers.
 */
class EngineNoiseTest extends EngineTest {

    private static final int N = 1 << 20;
    private static final Shape SHAPE = new Shape(N);

    private static float[] draw(NoiseSource noise, boolean logistic) {
        try (NDArray a = logistic ? noise.logistic(manager, SHAPE) : noise.uniform(manager, SHAPE)) {
            return a.toFloatArray();
        }
    }

    @Test
    void keyAndDrawFixTheValuesWhateverElseTheEngineDraws() {
        EngineNoise first = new EngineNoise(11);
        float[] a1 = first.uniform(manager, new Shape(1000)).toFloatArray();
        float[] a2 = first.uniform(manager, new Shape(1000)).toFloatArray();
        EngineNoise second = new EngineNoise(11);
        manager.getEngine().setRandomSeed(5); // other users of the engine's generator in between
        float[] b1 = second.uniform(manager, new Shape(1000)).toFloatArray();
        manager.randomUniform(0, 1, new Shape(777)).close();
        float[] b2 = second.uniform(manager, new Shape(1000)).toFloatArray();
        assertArrayEquals(a1, b1);
        assertArrayEquals(a2, b2);
        assertFalse(Arrays.equals(a1, a2), "the next draw differs");
        assertFalse(Arrays.equals(a1, new EngineNoise(12).uniform(manager, new Shape(1000)).toFloatArray()),
                "another key differs");
        // the shape does not matter, only the element count
        float[] shaped = new EngineNoise(11).uniform(manager, new Shape(10, 100)).toFloatArray();
        assertArrayEquals(a1, shaped);
    }

    @Test
    void uniformsLieOnCounterNoisesGridInTheOpenInterval() {
        float[] u = draw(new EngineNoise(3), false);
        for (float v : u) {
            double level = v * (double) (1 << 23) - 0.5;
            assertTrue(v > 0f && v < 1f, "u = " + v);
            assertEquals(Math.rint(level), level, 0, "u = " + v + " is not (j + 1/2) / 2^23");
        }
    }

    @Test
    void uniformsAreUniformAndUncorrelatedLikeCounterNoises() {
        for (NoiseSource noise : new NoiseSource[] {new EngineNoise(21), new CounterNoise(21)}) {
            float[] u = draw(noise, false);
            int[] bins = new int[20];
            double sum = 0;
            double lagProduct = 0;
            for (int i = 0; i < u.length; i++) {
                bins[(int) (u[i] * bins.length)]++;
                sum += u[i];
                if (i > 0) {
                    lagProduct += (u[i] - 0.5) * (u[i - 1] - 0.5);
                }
            }
            double expected = (double) N / bins.length;
            for (int count : bins) {
                assertEquals(expected, count, 5 * Math.sqrt(expected), noise.getClass().getSimpleName());
            }
            assertEquals(0.5, sum / N, 5 * Math.sqrt(1 / 12.0 / N));
            assertEquals(0, lagProduct / (N - 1) * 12, 5 / Math.sqrt(N));
        }
    }

    @Test
    void logisticIsTheLogitOfTheSameDrawsUniformAndLogisticallyDistributed() {
        float[] u = draw(new EngineNoise(9), false);
        float[] l = draw(new EngineNoise(9), true);
        double sum = 0;
        double squares = 0;
        int belowOne = 0;
        for (int i = 0; i < N; i++) {
            // float32's own rounding of u / (1 - u) and of the logarithm
            double logit = Math.log(u[i] / (1.0 - u[i]));
            assertEquals(logit, l[i], 1e-6 * Math.max(1, Math.abs(logit)), "element " + i);
            sum += l[i];
            squares += l[i] * l[i];
            belowOne += l[i] < 1 ? 1 : 0;
        }
        double variance = Math.PI * Math.PI / 3;
        assertEquals(0, sum / N, 5 * Math.sqrt(variance / N));
        assertEquals(variance, squares / N, 0.02 * variance);
        double p = 1 / (1 + Math.exp(-1));
        assertEquals(p, (double) belowOne / N, 5 * Math.sqrt(p * (1 - p) / N));
    }

    @Test
    void bernoulliComparesTheSameDrawsUniform() {
        Shape shape = new Shape(3, 7001);
        try (NDManager scope = manager.newSubManager()) {
            float[] u = new EngineNoise(8).uniform(scope, shape).toFloatArray();
            float[] p = new CounterNoise(99).uniform(scope, shape).toFloatArray();
            p[0] = 0f;
            p[1] = 1f;
            p[2] = u[2];
            float[] spikes = new EngineNoise(8).bernoulli(scope.create(p, shape)).toFloatArray();
            for (int i = 0; i < p.length; i++) {
                assertEquals(u[i] < p[i] ? 1f : 0f, spikes[i], "element " + i);
            }
        }
    }

    @Test
    void eachDeviceGetsItsSource() {
        assertInstanceOf(CounterNoise.class, NoiseSource.keyed(1, Device.cpu()));
        assertInstanceOf(EngineNoise.class, NoiseSource.keyed(1, Device.gpu()));
    }
}
