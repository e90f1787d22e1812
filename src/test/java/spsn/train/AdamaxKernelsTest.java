package spsn.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import spsn.EngineTest;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The engine's Adamax update (what runs on a GPU) gives the Java update's numbers bit for bit on
 * the CPU: same float32 operations in the same order, over many steps, with ParaLIF's weight decay
 * and its StepLR schedule changing the rate between steps, and through a checkpoint's restore.
 */
class AdamaxKernelsTest extends EngineTest {

    private static final Shape[] SHAPES = {new Shape(24, 70), new Shape(5, 24), new Shape(24)};
    private static final int STEPS = 12;

    @ParameterizedTest(name = "weight decay {0}")
    @ValueSource(doubles = {0, 1e-4, 0.3})
    void engineUpdateEqualsJavaUpdate(double weightDecay) {
        LearningRateSchedule schedule = new LearningRateSchedule(2e-2, 4, 0.5); // StepLR, halved every 4 steps
        try (NDManager java = manager.newSubManager(); NDManager engine = manager.newSubManager();
             Adamax javaAdamax = new Adamax(java, schedule.initial(), 0.9, 0.999, 1e-8, weightDecay, Adamax.Kernel.JAVA);
             Adamax engineAdamax = new Adamax(engine, schedule.initial(), 0.9, 0.999, 1e-8, weightDecay,
                     Adamax.Kernel.ENGINE)) {
            Map<String, NDArray> javaParams = parameters(java, 1);
            Map<String, NDArray> engineParams = parameters(engine, 1);
            Random gradients = new Random(2);
            for (int step = 0; step < STEPS; step++) {
                javaAdamax.setLearningRate(schedule.rate(step));
                engineAdamax.setLearningRate(schedule.rate(step));
                Map<String, float[]> grads = gradients(gradients, step);
                setGradients(javaParams, grads);
                setGradients(engineParams, grads);
                javaAdamax.step(javaParams);
                engineAdamax.step(engineParams);
                assertSame(javaAdamax, javaParams, engineAdamax, engineParams, "step " + (step + 1));
            }
            // and the update did move the parameters
            assertFalse(Arrays.equals(parameters(java, 1).get("w0").toFloatArray(),
                    javaParams.get("w0").toFloatArray()));

            // a checkpoint's state put back into a fresh engine Adamax continues as the Java one does
            try (NDManager resumed = manager.newSubManager();
                 Adamax resumedAdamax = new Adamax(resumed, schedule.rate(STEPS), 0.9, 0.999, 1e-8, weightDecay,
                         Adamax.Kernel.ENGINE)) {
                Map<String, NDArray> resumedParams = new LinkedHashMap<>();
                for (Map.Entry<String, NDArray> e : javaParams.entrySet()) {
                    NDArray[] state = javaAdamax.state(e.getKey());
                    resumedAdamax.restore(e.getKey(), e.getValue().getShape().getShape(), state[0].toFloatArray(),
                            state[1].toFloatArray(), javaAdamax.steps());
                    NDArray p = resumed.create(e.getValue().toFloatArray(), e.getValue().getShape());
                    p.setRequiresGradient(true);
                    resumedParams.put(e.getKey(), p);
                }
                javaAdamax.setLearningRate(schedule.rate(STEPS));
                Map<String, float[]> grads = gradients(gradients, STEPS);
                setGradients(javaParams, grads);
                setGradients(resumedParams, grads);
                javaAdamax.step(javaParams);
                resumedAdamax.step(resumedParams);
                assertSame(javaAdamax, javaParams, resumedAdamax, resumedParams, "step after restore");
            }
        }
    }

    private static Map<String, NDArray> parameters(NDManager owner, long seed) {
        Random random = new Random(seed);
        Map<String, NDArray> params = new LinkedHashMap<>();
        for (int i = 0; i < SHAPES.length; i++) {
            float[] values = new float[(int) SHAPES[i].size()];
            for (int k = 0; k < values.length; k++) {
                values[k] = (float) random.nextGaussian();
            }
            NDArray p = owner.create(values, SHAPES[i]);
            p.setRequiresGradient(true);
            params.put("w" + i, p);
        }
        return params;
    }

    /**
     * Gradients of every size: O(1), O(eps) and exact zeros (where only the decay moves a
     * parameter), changing sign from step to step.
     */
    private static Map<String, float[]> gradients(Random random, int step) {
        Map<String, float[]> grads = new LinkedHashMap<>();
        for (int i = 0; i < SHAPES.length; i++) {
            float[] g = new float[(int) SHAPES[i].size()];
            for (int k = 0; k < g.length; k++) {
                double r = random.nextDouble();
                g[k] = r < 0.1 ? 0f : r < 0.2 ? (float) (random.nextGaussian() * 1e-8) : (float) random.nextGaussian();
                g[k] *= step % 3 == 2 ? 1e-3f : 1f;
            }
            grads.put("w" + i, g);
        }
        return grads;
    }

    /** Gives each parameter the gradient {@code grads} (d/dp sum(p * g) = g) after the previous one was zeroed. */
    private static void setGradients(Map<String, NDArray> params, Map<String, float[]> grads) {
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray p = e.getValue();
            try (NDManager scope = p.getManager().newSubManager()) {
                NDArray g = scope.create(grads.get(e.getKey()), p.getShape());
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(p.mul(g).sum());
                }
            }
        }
    }

    private static void assertSame(Adamax expectedAdamax, Map<String, NDArray> expected, Adamax actualAdamax,
                                   Map<String, NDArray> actual, String when) {
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name).toFloatArray(), actual.get(name).toFloatArray(),
                    when + ": parameter " + name);
            NDArray[] e = expectedAdamax.state(name);
            NDArray[] a = actualAdamax.state(name);
            assertArrayEquals(e[0].toFloatArray(), a[0].toFloatArray(), when + ": first moment of " + name);
            assertArrayEquals(e[1].toFloatArray(), a[1].toFloatArray(), when + ": infinity norm of " + name);
        }
    }
}
