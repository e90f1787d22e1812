package spsn.neuron;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks that a differentiable function's backward pass does not read memory the JVM freed:
 * the gradient computed after forcing garbage collections between forward and backward must be
 * finite and equal to the one computed without.
 */
final class GcSafety {

    private GcSafety() {
    }

    static void assertGradientSurvivesGc(NDManager manager, Shape shape, UnaryOperator<NDArray> f)
            throws InterruptedException {
        assertGradientSurvivesGcWithTape(manager, shape, (x, tape) -> f.apply(x));
    }

    /** The same for a function whose Java steps go on {@code tape} (run after autograd's pass). */
    static void assertGradientSurvivesGcWithTape(NDManager manager, Shape shape, BiFunction<NDArray, BackwardTape, NDArray> f)
            throws InterruptedException {
        Random random = new Random(5);
        float[] input = new float[(int) shape.size()];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) random.nextGaussian();
        }
        float[][] grads = new float[2][];
        for (int run = 0; run < 2; run++) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = scope.create(input, shape);
                x.setRequiresGradient(true);
                BackwardTape tape = new BackwardTape();
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = f.apply(x, tape);
                    NDArray loss = y.mul(scope.create(weights(y.getShape()), y.getShape())).sum();
                    if (run == 1) {
                        churnTheHeap();
                    }
                    gc.backward(loss);
                    tape.backward(gc);
                }
                grads[run] = x.getGradient().toFloatArray();
            }
        }
        for (float g : grads[1]) {
            assertTrue(Float.isFinite(g), "gradient must stay finite after a GC");
        }
        assertArrayEquals(grads[0], grads[1], 0f, "gradient changed after a GC");
    }

    private static float[] weights(Shape shape) {
        float[] w = new float[(int) shape.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 7) - 3;
        }
        return w;
    }

    private static void churnTheHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            byte[][] garbage = new byte[2000][];
            for (int j = 0; j < garbage.length; j++) {
                garbage[j] = new byte[10_000];
            }
            System.gc();
            Thread.sleep(50);
        }
    }
}
