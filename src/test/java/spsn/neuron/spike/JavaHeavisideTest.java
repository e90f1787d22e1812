package spsn.neuron.spike;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import spsn.EngineTest;
import spsn.neuron.BackwardTape;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Java Heaviside step against the engine's (Surrogate#heaviside): the same steps, exact zeros
 * included, and the same gradients for the input and for a learnt threshold subtracted before it.
 * The input spans several of its parallel blocks, the last partial.
 */
class JavaHeavisideTest extends EngineTest {

    /** H(x - theta), then dL/dx and dL/dtheta of sum(w * H), by Java or by the engine. */
    private static float[][] run(float[] x, float[] w, Shape shape, Surrogate surrogate, boolean java) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = scope.create(x, shape);
            NDArray theta = scope.create(0.25f);
            input.setRequiresGradient(true);
            theta.setRequiresGradient(true);
            BackwardTape tape = new BackwardTape();
            float[] step;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray above = input.sub(theta);
                NDArray h = java ? surrogate.heaviside(above, tape) : surrogate.heaviside(above);
                step = h.toFloatArray();
                gc.backward(h.mul(scope.create(w, shape)).sum());
                tape.backward(gc);
            }
            return new float[][] {step, input.getGradient().toFloatArray(), theta.getGradient().toFloatArray()};
        }
    }

    @ParameterizedTest
    @EnumSource(Surrogate.Kind.class)
    void equalsTheEnginesStepAndGradients(Surrogate.Kind kind) {
        Shape shape = new Shape(70, 3, 500); // 105,000 elements: four blocks
        int n = (int) shape.size();
        Random random = new Random(kind.ordinal());
        float[] x = new float[n];
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 97 == 0 ? 0.25f : (float) (random.nextGaussian() * 0.3); // some exactly at theta
            w[i] = (float) random.nextGaussian();
        }
        Surrogate surrogate = new Surrogate(kind, kind.defaultScale());
        float[][] java = run(x, w, shape, surrogate, true);
        float[][] engine = run(x, w, shape, surrogate, false);
        assertArrayEquals(engine[0], java[0], "steps");
        float scale = 0;
        for (float g : engine[1]) {
            scale = Math.max(scale, Math.abs(g));
        }
        assertArrayEquals(engine[1], java[1], 1e-6f * scale, "dL/dx");
        assertEquals(engine[2][0], java[2][0], 1e-4 * Math.abs(engine[2][0]), "dL/dtheta");
    }
}
