package spsn.neuron.spike;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import spsn.EngineTest;
import spsn.neuron.BackwardTape;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java threshold and delta steps (JavaThresholdCrossing) against the engine's
 * (ThresholdSpikes and DeltaSpikes without a tape), after each normaliser: the same spikes bit for
 * bit (zeros exactly at the threshold included), the same dL/dmem (the normaliser's derivative
 * taken by the Java step; within its tanh's rounding for the tanh modes), and the same dL/dtheta for a learnt threshold, one for the layer or one
 * per neuron, with both surrogates. The input spans several parallel blocks,
 * the last partial, and blocks start inside a time step; in the wide case a time step spans
 * more than a block, so a delta block's previous and next steps lie in other blocks.
 */
class JavaThresholdCrossingTest extends EngineTest {

    private static final Shape SHAPE = new Shape(70, 3, 500); // 105,000 elements: four blocks
    /** A time step longer than a block (ElementBlocks.SIZE): blocks start inside step 0, deltas reach past one. */
    private static final Shape WIDE = new Shape(4, 2, 20000);
    /** 8,991 elements, one block that is not a whole number of eight-element strides. */
    private static final Shape ODD = new Shape(9, 3, 333);

    /** Spikes, dL/dmem and dL/dtheta of sum(w * spikes), by Java (with a tape) or by the engine. */
    private static float[][] run(SpikeFunction function, Shape shape, float[] n, float[] w, float[] theta,
                                 boolean learnt, boolean java) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = scope.create(n, shape);
            NDArray threshold = theta.length == 1 ? scope.create(theta[0]) : scope.create(theta);
            input.setRequiresGradient(true);
            threshold.setRequiresGradient(learnt);
            BackwardTape tape = java ? new BackwardTape() : null;
            float[] spikes;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray fired = function.apply(input, threshold, null, tape);
                spikes = fired.toFloatArray();
                gc.backward(fired.mul(scope.create(w, shape)).sum());
                if (tape != null) {
                    tape.backward(gc);
                }
            }
            float[] evaluated = function.apply(input.stopGradient(), threshold.stopGradient(), null, tape)
                    .toFloatArray();
            assertArrayEquals(spikes, evaluated, "spikes outside recording");
            float[] byTheta = learnt ? threshold.getGradient().toFloatArray() : new float[0];
            return new float[][] {spikes, input.getGradient().toFloatArray(), byTheta};
        }
    }

    @ParameterizedTest
    @CsvSource({
        "threshold, IDENTITY, FASTSIG, 1, true, narrow", "threshold, IDENTITY, ATAN, 500, true, narrow",
        "threshold, IDENTITY, FASTSIG, 500, false, narrow", "threshold, SIGMOID, FASTSIG, 1, true, narrow",
        "threshold, TANH, ATAN, 500, true, narrow", "threshold, RELU_TANH, FASTSIG, 1, false, narrow",
        "delta, IDENTITY, FASTSIG, 1, true, narrow", "delta, IDENTITY, ATAN, 1, false, narrow",
        "delta, IDENTITY, FASTSIG, 500, true, narrow", "delta, SIGMOID, FASTSIG, 500, true, narrow",
        "delta, TANH, FASTSIG, 1, false, narrow", "delta, RELU_TANH, ATAN, 1, true, narrow",
        "delta, IDENTITY, FASTSIG, 1, true, wide", "delta, RELU_TANH, ATAN, 20000, true, wide",
        "threshold, SIGMOID, FASTSIG, 20000, true, wide", "threshold, IDENTITY, FASTSIG, 1, true, odd",
        "delta, SIGMOID, ATAN, 1, true, odd"})
    void equalsTheEnginesSpikesAndGradients(String mode, Normaliser normaliser, Surrogate.Kind kind, int thresholds,
                                            boolean learnt, String width) {
        Shape shape = switch (width) {
            case "wide" -> WIDE;
            case "odd" -> ODD;
            default -> SHAPE;
        };
        int size = (int) shape.size();
        Random random = new Random(kind.ordinal() * 7 + thresholds);
        float[] theta = new float[thresholds];
        for (int h = 0; h < thresholds; h++) {
            theta[h] = 0.1f + 0.3f * random.nextFloat();
        }
        boolean delta = mode.equals("delta");
        float[] n = new float[size];
        float[] w = new float[size];
        int stride = size / (int) shape.get(0);
        for (int i = 0; i < size; i++) {
            n[i] = (float) (random.nextGaussian() * 0.4);
            if (i % 97 == 0) { // some exactly at the threshold
                float below = delta && i >= stride ? n[i - stride] : 0f;
                n[i] = below + theta[i % thresholds];
            }
            w[i] = (float) random.nextGaussian();
        }
        Surrogate surrogate = new Surrogate(kind, kind.defaultScale());
        SpikeFunction function = new SpikeFunction(normaliser,
                delta ? new DeltaSpikes(surrogate) : new ThresholdSpikes(surrogate));
        float[][] java = run(function, shape, n, w, theta, learnt, true);
        float[][] engine = run(function, shape, n, w, theta, learnt, false);
        assertArrayEquals(engine[0], java[0], "spikes");
        float fired = 0;
        for (float s : java[0]) {
            fired += s;
        }
        assertTrue(fired > 0 && fired < size, "some spikes, not all");
        float scale = 0;
        for (float g : engine[1]) {
            scale = Math.max(scale, Math.abs(g));
        }
        // the Java step's tanh is 2 sigmoid(2 mem) - 1, within 1.8e-7 of the engine's; a delta's
        // rise holds two of them, and the fast sigmoid's slope 1/(1 + k|x|)^2 (k = 100) changes by
        // up to 2k times a change of x, relatively: 2 * 100 * 3.6e-7, 7.2e-5 of a gradient at most
        boolean tanh = normaliser == Normaliser.TANH || normaliser == Normaliser.RELU_TANH;
        assertArrayEquals(engine[1], java[1], (tanh ? 1e-4f : 1e-6f) * scale, "dL/dmem");
        assertEquals(engine[2].length, java[2].length);
        for (int h = 0; h < engine[2].length; h++) {
            assertEquals(engine[2][h], java[2][h], 1e-4 * Math.abs(engine[2][h]) + 1e-6, "dL/dtheta[" + h + "]");
        }
    }
}
