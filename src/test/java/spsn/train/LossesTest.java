package spsn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import spsn.EngineTest;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LossesTest extends EngineTest {

    @ParameterizedTest
    @EnumSource(LossMode.class)
    void crossEntropyOfEachModeEqualsPlainJava(LossMode mode) {
        int batch = 3;
        int steps = 4;
        int classes = 5;
        Random random = new Random(11);
        float[] out = new float[batch * steps * classes];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) random.nextGaussian() * 2;
        }
        long[] labels = {4, 0, 2};
        double expected = 0;
        for (int b = 0; b < batch; b++) {
            double[] logits = new double[classes];
            for (int c = 0; c < classes; c++) {
                double acc = mode == LossMode.MAX ? Double.NEGATIVE_INFINITY : 0;
                for (int t = 0; t < steps; t++) {
                    double v = out[(b * steps + t) * classes + c];
                    double norm = 0;
                    for (int k = 0; k < classes; k++) {
                        norm += Math.exp(out[(b * steps + t) * classes + k]);
                    }
                    double probability = Math.exp(v) / norm;
                    acc = switch (mode) {
                        case LAST -> t == steps - 1 ? v : acc;
                        case MAX -> Math.max(acc, v);
                        case MEAN -> acc + v / steps;
                        case CUMSUM -> acc + probability;
                    };
                }
                logits[c] = acc;
            }
            double norm = 0;
            for (double l : logits) {
                norm += Math.exp(l);
            }
            expected += -(logits[(int) labels[b]] - Math.log(norm)) / batch;
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray loss = Losses.crossEntropy(scope.create(out, new Shape(batch, steps, classes)),
                    scope.create(labels), mode);
            assertEquals(expected, loss.getFloat(), 1e-5);
        }
    }

    @Test
    void regulariserIsSquaredExcessOfTotalRateOverThreshold() {
        try (NDManager scope = manager.newSubManager()) {
            List<NDArray> rates = List.of(scope.create(new float[] {0.5f, 0.7f}), scope.create(new float[] {0.9f, 0.1f}));
            // sum = 2.2, N = 4: thr 0.4 -> relu(2.2 - 1.6)^2 = 0.36; thr 0.6 -> relu(2.2 - 2.4) = 0
            assertEquals(0.36, Losses.rateRegularizer(rates, 0.4).getFloat(), 1e-6);
            assertEquals(0.0, Losses.rateRegularizer(rates, 0.6).getFloat(), 0.0);
        }
    }
}
