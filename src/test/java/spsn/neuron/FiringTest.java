package spsn.neuron;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import spsn.EngineTest;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FiringTest extends EngineTest {

    private static float[] valueAndGradient(float[] input, UnaryOperator<NDArray> f, float[] valueOut) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(input);
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = f.apply(x);
                System.arraycopy(y.toFloatArray(), 0, valueOut, 0, input.length);
                gc.backward(y.sum());
            }
            return x.getGradient().toFloatArray();
        }
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    @Test
    void heavisideForwardIsStepAndGradientIsFastSigmoid() {
        float[] x = {-2f, -0.01f, 0f, 1e-4f, 0.01f, 0.5f, 3f};
        float[] value = new float[x.length];
        float[] grad = valueAndGradient(x, Firing::heaviside, value);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] > 0 ? 1f : 0f, value[i], "H(" + x[i] + ")");
            double expected = 1 / Math.pow(100 * Math.abs(x[i]) + 1, 2);
            assertEquals(expected, grad[i], 1e-6 * Math.max(1, expected), "H'(" + x[i] + ")");
        }
    }

    @Test
    void sigmoidBernoulliFiresBelowProbabilityAndPassesGradTimesP() {
        float[] mem = {-3f, -0.5f, 0f, 0.4f, 2f};
        float[] u = {0.01f, 0.5f, 0.49f, 0.7f, 0.99f};
        float[] value = new float[mem.length];
        float[] grad;
        try (NDManager scope = manager.newSubManager()) {
            NDArray noise = scope.create(u);
            grad = valueAndGradient(mem, m -> Firing.sigmoidBernoulli(m, noise), value);
        }
        for (int i = 0; i < mem.length; i++) {
            double p = sigmoid(mem[i]);
            assertEquals(u[i] < p ? 1f : 0f, value[i], "spike for mem " + mem[i]);
            // d/dmem of p^2/2 through the sigmoid: p * p(1-p)
            assertEquals(p * p * (1 - p), grad[i], 1e-6, "gradient for mem " + mem[i]);
        }
    }

    @Test
    void gumbelSoftmaxHardForwardSoftGradient() {
        float[] mem = {-1f, -0.2f, 0f, 0.3f, 1.5f};
        float[] u0 = {0.3f, 0.9f, 0.5f, 0.2f, 0.6f};
        float[] u1 = {0.6f, 0.1f, 0.5f, 0.8f, 0.4f};
        float[] value = new float[mem.length];
        float[] grad;
        try (NDManager scope = manager.newSubManager()) {
            NDArray n0 = scope.create(u0);
            NDArray n1 = scope.create(u1);
            grad = valueAndGradient(mem, m -> Firing.gumbelSoftmax(m, n0, n1), value);
        }
        for (int i = 0; i < mem.length; i++) {
            double g0 = -Math.log(-Math.log(u0[i]));
            double g1 = -Math.log(-Math.log(u1[i]));
            // softmax over the two logits, first component, computed directly
            double e0 = Math.exp(mem[i] + g0);
            double e1 = Math.exp(-mem[i] + g1);
            double soft = e0 / (e0 + e1);
            assertEquals(soft > 0.5 ? 1f : 0f, value[i], "spike for mem " + mem[i]);
            // finite difference of y_soft with respect to mem
            double h = 1e-4;
            double up = Math.exp(mem[i] + h + g0) / (Math.exp(mem[i] + h + g0) + Math.exp(-mem[i] - h + g1));
            double down = Math.exp(mem[i] - h + g0) / (Math.exp(mem[i] - h + g0) + Math.exp(-mem[i] + h + g1));
            assertEquals((up - down) / (2 * h), grad[i], 1e-5, "gradient for mem " + mem[i]);
        }
    }

    @Test
    void gumbelNeuronFiresWithProbabilitySigmoidOfTwiceMem() {
        try (NDManager scope = manager.newSubManager()) {
            int n = 200_000;
            NDArray mem = scope.full(new ai.djl.ndarray.types.Shape(n), 0.4f);
            NoiseSource noise = new CounterNoise(3);
            NDArray u0 = noise.uniform(scope, mem.getShape());
            NDArray u1 = noise.uniform(scope, mem.getShape());
            double gsRate = Firing.gumbelSoftmax(mem, u0, u1).mean().getFloat();
            double gsLogisticRate = Firing.gumbelSoftmax(mem, noise.logistic(scope, mem.getShape())).mean().getFloat();
            double sbRate = Firing.sigmoidBernoulli(mem, u0).mean().getFloat();
            assertEquals(sigmoid(0.8), gsRate, 0.005);
            assertEquals(sigmoid(0.8), gsLogisticRate, 0.005);
            assertEquals(sigmoid(0.4), sbRate, 0.005);
        }
    }

    @Test
    void heavisideGradientMatchesFiniteDifferenceOfSmoothPart() {
        // Where the step is flat, the gradient is that of x/(1+100|x|): check by finite differences.
        float[] x = {-0.3f, -0.02f, 0.05f, 0.7f};
        float[] value = new float[x.length];
        float[] grad = valueAndGradient(x, Firing::heaviside, value);
        float[] expected = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            double h = 1e-5;
            double up = (x[i] + h) / (1 + 100 * Math.abs(x[i] + h));
            double down = (x[i] - h) / (1 + 100 * Math.abs(x[i] - h));
            expected[i] = (float) ((up - down) / (2 * h));
        }
        assertArrayEquals(expected, grad, 1e-4f);
    }

    @Test
    void gradientsSurviveGarbageCollection() throws InterruptedException {
        ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(4, 8, 50);
        GcSafety.assertGradientSurvivesGc(manager, shape, Firing::heaviside);
        GcSafety.assertGradientSurvivesGc(manager, shape,
            m -> Firing.sigmoidBernoulli(m, m.getManager().full(shape, 0.5f)));
        GcSafety.assertGradientSurvivesGc(manager, shape,
            m -> Firing.gumbelSoftmax(m, m.getManager().full(shape, 0.3f), m.getManager().full(shape, 0.6f)));
    }
}
