package spsn.neuron;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import spsn.EngineTest;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CounterNoiseTest extends EngineTest {

    private static final int N = 1 << 20;
    private static float[] uniform(long key, int size) {
        try (NDArray u = new CounterNoise(key).uniform(manager, new Shape(size))) {
            return u.toFloatArray();
        }
    }

    @Test
    void sameKeyRepeatsAndOtherKeysOrDrawsDiffer() {
        float[] a = uniform(11, 1000);
        assertArrayEquals(a, uniform(11, 1000));
        assertFalse(Arrays.equals(a, uniform(12, 1000)));
        CounterNoise noise = new CounterNoise(11);
        float[] first = noise.uniform(manager, new Shape(1000)).toFloatArray();
        float[] second = noise.uniform(manager, new Shape(1000)).toFloatArray();
        assertArrayEquals(a, first);
        assertFalse(Arrays.equals(first, second));
    }

    @Test
    void valuesDependOnlyOnTheElementIndexNotOnThreadsOrSize() throws Exception {
        float[] parallel = uniform(5, N + 3);
        float[] oneThread = new ForkJoinPool(1).submit(() -> uniform(5, N + 3)).get();
        assertArrayEquals(parallel, oneThread);
        // a shorter (odd-sized) draw is a prefix: no block or pair boundary shows in the values
        assertArrayEquals(Arrays.copyOf(parallel, 70_001), uniform(5, 70_001));
        // the shape does not matter either, only the element count
        try (NDArray shaped = new CounterNoise(5).uniform(manager, new Shape(3, 7, 11))) {
            assertArrayEquals(Arrays.copyOf(parallel, 231), shaped.toFloatArray());
        }
    }

    @Test
    void valuesAreTheDocumentedHashOfTheirIndex() {
        // the definition, written out one element at a time: draw d of key k hashes the stream
        // s = mix(k + G d), element pair j gives mix(s + G j), whose top 23 bits make element 2j
        // and bits 9..31 element 2j + 1, each as u = (bits + 1/2) / 2^23
        long golden = 0x9E3779B97F4A7C15L;
        long key = 3;
        CounterNoise noise = new CounterNoise(key);
        noise.uniform(manager, new Shape(5)).close();
        float[] second = noise.uniform(manager, new Shape(N + 1)).toFloatArray();
        long stream = splitMix(key + golden * 2);
        for (int i = 0; i < second.length; i++) {
            long bits = splitMix(stream + golden * (i / 2));
            long level = i % 2 == 0 ? bits >>> 41 : (bits >>> 9) & ((1 << 23) - 1);
            assertEquals((float) ((level + 0.5) / (1 << 23)), second[i], "element " + i);
        }
    }

    /** SplitMix64's finaliser, as published (Steele, Lea and Flood 2014). */
    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Test
    void uniformIsUniformOnTheOpenInterval() {
        float[] u = uniform(21, N);
        int[] bins = new int[20];
        double sum = 0;
        double lagProduct = 0;
        for (int i = 0; i < u.length; i++) {
            assertTrue(u[i] > 0f && u[i] < 1f, "u = " + u[i]);
            bins[(int) (u[i] * bins.length)]++;
            sum += u[i];
            if (i > 0) {
                lagProduct += (u[i] - 0.5) * (u[i - 1] - 0.5);
            }
        }
        double expected = (double) N / bins.length;
        for (int count : bins) {
            // 5 standard deviations of a binomial count
            assertEquals(expected, count, 5 * Math.sqrt(expected));
        }
        assertEquals(0.5, sum / N, 5 * Math.sqrt(1 / 12.0 / N));
        // neighbours (also the two halves of one hash) are uncorrelated
        assertEquals(0, lagProduct / (N - 1) * 12, 5 / Math.sqrt(N));
    }

    @Test
    void logisticIsTheLogitOfTheSameDrawsUniforms() {
        Shape shape = new Shape(4, 5000);
        try (NDManager scope = manager.newSubManager()) {
            NDArray u = new CounterNoise(9).uniform(scope, shape);
            NDArray logistic = new CounterNoise(9).logistic(scope, shape);
            // the engine's logarithms as the independent reference
            NDArray logit = u.log().sub(u.neg().add(1f).log());
            assertTrue(logistic.allClose(logit, 1e-5, 1e-5, false));
        }
    }

    @Test
    void logisticHasTheLogisticDistribution() {
        float[] l;
        try (NDArray a = new CounterNoise(4).logistic(manager, new Shape(N))) {
            l = a.toFloatArray();
        }
        double sum = 0;
        double squares = 0;
        int belowOne = 0;
        for (float v : l) {
            sum += v;
            squares += v * v;
            belowOne += v < 1 ? 1 : 0;
        }
        double variance = Math.PI * Math.PI / 3;
        assertEquals(0, sum / N, 5 * Math.sqrt(variance / N));
        assertEquals(variance, squares / N, 0.02 * variance);
        double p = 1 / (1 + Math.exp(-1));
        assertEquals(p, (double) belowOne / N, 5 * Math.sqrt(p * (1 - p) / N));
    }

    @Test
    void fastLogarithmMatchesMathLog() {
        // the whole range the logistic transform uses: (k + 1/2) / (2^23 - (k + 1/2)), k < 2^23
        for (float x = 5e-8f; x < 2e7f; x = Math.nextUp(x * 1.0007f)) {
            assertEquals(Math.log(x), CounterNoise.log(x), 2e-7 * Math.max(1, Math.abs(Math.log(x))), "ln " + x);
        }
        for (float x = 0.99f; x < 1.01f; x = Math.nextUp(x)) {
            assertEquals(Math.log(x), CounterNoise.log(x), 2e-7, "ln " + x);
        }
    }

    @Test
    void bernoulliIsTheComparisonWithTheSameDrawsUniforms() {
        Shape shape = new Shape(3, 70_001);
        try (NDManager scope = manager.newSubManager()) {
            NDArray u = new CounterNoise(8).uniform(scope, shape);
            // probabilities spread over [0, 1], the ends included, and some exactly equal to u
            float[] p = new CounterNoise(99).uniform(scope, shape).toFloatArray();
            float[] uniforms = u.toFloatArray();
            p[0] = 0f;
            p[1] = 1f;
            for (int i = 2; i < p.length; i += 1000) {
                p[i] = uniforms[i];
            }
            NDArray probabilities = scope.create(p, shape);
            float[] spikes = new CounterNoise(8).bernoulli(probabilities).toFloatArray();
            float[] viaEngine = ((NoiseSource) (m, s) -> u).bernoulli(probabilities).toFloatArray();
            int fired = 0;
            for (int i = 0; i < p.length; i++) {
                assertEquals(uniforms[i] < p[i] ? 1f : 0f, spikes[i], "element " + i);
                fired += (int) spikes[i];
            }
            assertArrayEquals(spikes, viaEngine, "the Java pass and the engine's comparison agree");
            assertEquals(0.5 * p.length, fired, 5 * Math.sqrt(p.length / 12.0));
        }
    }
}
