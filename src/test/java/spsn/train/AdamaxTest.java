package spsn.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdamaxTest {

    @ParameterizedTest
    @EnumSource(Adamax.Kernel.class)
    void threeStepsEqualHandComputedPyTorchRule(Adamax.Kernel kernel) {
        System.setProperty("ai.djl.offline", "true");
        float[] p0 = {0.5f, -1f, 2f};
        float[][] targets = {{1f, 1f, 1f}, {-2f, 0f, 3f}, {0.5f, -1f, 2f}};
        double lr = 0.01;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        // Hand-computed reference in double: loss = sum(w * target) so grad = target.
        double[] p = {p0[0], p0[1], p0[2]};
        double[] m = new double[3];
        double[] u = new double[3];
        try (NDManager manager = NDManager.newBaseManager();
             Adamax adamax = new Adamax(manager, lr, b1, b2, eps, kernel)) {
            NDArray w = manager.create(p0);
            w.setRequiresGradient(true);
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("w", w);
            for (int step = 1; step <= 3; step++) {
                float[] g = targets[step - 1];
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(w.mul(manager.create(g)).sum());
                }
                adamax.step(params);
                for (int i = 0; i < 3; i++) {
                    m[i] = b1 * m[i] + (1 - b1) * g[i];
                    u[i] = Math.max(b2 * u[i], Math.abs(g[i]) + eps);
                    p[i] -= lr / (1 - Math.pow(b1, step)) * m[i] / u[i];
                }
                float[] actual = w.toFloatArray();
                for (int i = 0; i < 3; i++) {
                    assertEquals(p[i], actual[i], 1e-6, kernel + " step " + step + " element " + i);
                }
                assertEquals(0f, w.getGradient().abs().sum().getFloat(), "gradients are zeroed after a step");
            }
        }
    }

    @Test
    void javaAndEngineKernelsGiveTheSameBits() {
        System.setProperty("ai.djl.offline", "true");
        Random random = new Random(8);
        float[] start = new float[3000];
        float[][] gradients = new float[4][start.length];
        for (int i = 0; i < start.length; i++) {
            start[i] = (float) random.nextGaussian();
            for (float[] g : gradients) {
                // some exact zeros and some tiny values, where max(b2*u, |g|+eps) picks eps
                g[i] = i % 7 == 0 ? 0f : (float) (random.nextGaussian() * (i % 5 == 0 ? 1e-9 : 1));
            }
        }
        float[][] results = new float[2][];
        for (Adamax.Kernel kernel : Adamax.Kernel.values()) {
            try (NDManager manager = NDManager.newBaseManager();
                 Adamax adamax = new Adamax(manager, 0.002, 0.9, 0.999, 1e-8, kernel)) {
                NDArray w = manager.create(start, new Shape(30, 100));
                w.setRequiresGradient(true);
                Map<String, NDArray> params = Map.of("w", w);
                for (float[] g : gradients) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(w.mul(manager.create(g, new Shape(30, 100))).sum());
                    }
                    adamax.step(params);
                }
                results[kernel.ordinal()] = w.toFloatArray();
            }
        }
        assertArrayEquals(results[0], results[1]);
        assertTrue(!Arrays.equals(start, results[0]), "the parameters moved");
    }
}
