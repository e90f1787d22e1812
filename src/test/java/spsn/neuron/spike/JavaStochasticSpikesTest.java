package spsn.neuron.spike;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import spsn.EngineTest;
import spsn.neuron.BackwardTape;
import spsn.neuron.CounterNoise;
import spsn.neuron.NoiseSource;

import java.util.Random;
import java.util.function.LongFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java Bernoulli and Gumbel-softmax steps (JavaBernoulli, JavaGumbelSoftmax) against the
 * engine's autograd ones (Firing) on the same noise: the same spikes and the same dL/dmem, for
 * SPSN-SB's sigmoid-Bernoulli, ParaLIF-TRB's relu(tanh)-Bernoulli and the Gumbel-softmax, with
 * CounterNoise (the Gumbel step then never forms the logistic noise) and with fixed noise. The
 * arrays span several parallel blocks of both the noise and the kernels, the last one partial.
 */
class JavaStochasticSpikesTest extends EngineTest {

    private static final Shape SHAPE = new Shape(70, 3, 700); // 147,000 elements

    /** Spikes, dL/dmem of sum(w * spikes), and the spikes of the same call outside recording. */
    private static float[][] run(SpikeFunction function, float[] mem, float[] w, NoiseSource noise,
                                 NoiseSource evaluationNoise, boolean java) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = scope.create(mem, SHAPE);
            input.setRequiresGradient(true);
            BackwardTape tape = java ? new BackwardTape() : null;
            float[] spikes;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray fired = function.apply(input, null, noise, tape);
                spikes = fired.toFloatArray();
                gc.backward(fired.mul(scope.create(w, SHAPE)).sum());
                if (tape != null) {
                    tape.backward(gc);
                }
            }
            float[] evaluated = function.apply(input.stopGradient(), null, evaluationNoise, tape).toFloatArray();
            return new float[][] {spikes, input.getGradient().toFloatArray(), evaluated};
        }
    }

    private static float[][] inputs(long seed, double spread) {
        int n = (int) SHAPE.size();
        Random random = new Random(seed);
        float[] mem = new float[n];
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            // a few far out, where exp(-2 mem) overflows or the sigmoid is 0 or 1 in float
            mem[i] = i % 1009 == 0 ? (i % 2 == 0 ? 60f : -60f) : (float) (random.nextGaussian() * spread);
            w[i] = (float) random.nextGaussian();
        }
        return new float[][] {mem, w};
    }

    /** The Java step against the engine's, each with a fresh source from {@code noise}. */
    private static void assertSame(SpikeFunction function, LongFunction<NoiseSource> noise, int allowedFlips) {
        float[][] in = inputs(3, 2);
        float[][] engine = run(function, in[0], in[1], noise.apply(11), noise.apply(12), false);
        float[][] java = run(function, in[0], in[1], noise.apply(11), noise.apply(12), true);
        int flips = 0;
        int fired = 0;
        for (int i = 0; i < engine[0].length; i++) {
            flips += engine[0][i] != java[0][i] ? 1 : 0;
            fired += (int) engine[0][i];
        }
        assertTrue(fired > engine[0].length / 5 && fired < engine[0].length * 4 / 5, "a mix of spikes: " + fired);
        assertTrue(flips <= allowedFlips, flips + " spikes differ");
        assertArrayEquals(engine[2], java[2], "spikes outside recording");
        float scale = 0;
        for (float g : engine[1]) {
            scale = Math.max(scale, Math.abs(g));
        }
        assertTrue(scale > 0, "a gradient reaches mem");
        assertArrayEquals(engine[1], java[1], 2e-6f * scale, "dL/dmem");
        for (float g : java[1]) {
            assertTrue(Float.isFinite(g), "finite gradients");
        }
    }

    /** Fixed noise: every call draws the same uniforms (a recorded source). */
    private static NoiseSource fixed(long seed) {
        int n = (int) SHAPE.size();
        Random random = new Random(seed);
        float[] u = new float[n];
        for (int i = 0; i < n; i++) {
            u[i] = (random.nextInt((1 << 23) - 1) + 0.5f) / (1 << 23);
        }
        return (m, shape) -> m.create(u, shape);
    }

    @Test
    void sigmoidBernoulliEqualsTheEnginesWithCounterNoise() {
        assertSame(new SpikeFunction(Normaliser.SIGMOID, new BernoulliSpikes()), CounterNoise::new, 0);
    }

    @Test
    void reluTanhBernoulliEqualsTheEnginesWithFixedNoise() {
        assertSame(new SpikeFunction(Normaliser.RELU_TANH, new BernoulliSpikes()), JavaStochasticSpikesTest::fixed, 0);
    }

    /**
     * With CounterNoise the Java step decides u s &gt; (1 - u)(1 - s) where the engine decides
     * sigmoid(2 mem + log(u / (1 - u))) &gt; 1/2: the same inequality, rounded differently, so a
     * spike may flip where 2 mem + L is within rounding of 0 (none seen here).
     */
    @Test
    void gumbelSoftmaxEqualsTheEnginesWithCounterNoise() {
        assertSame(new SpikeFunction(Normaliser.IDENTITY, new GumbelSoftmaxSpikes()), CounterNoise::new, 2);
    }

    @Test
    void gumbelSoftmaxEqualsTheEnginesWithFixedNoise() {
        assertSame(new SpikeFunction(Normaliser.IDENTITY, new GumbelSoftmaxSpikes()), JavaStochasticSpikesTest::fixed, 0);
    }

    /** The two ways of drawing a Gumbel spike use up one draw of the source each, so later draws agree. */
    @Test
    void gumbelSoftmaxUsesOneDrawLikeTheEngines() {
        SpikeFunction gumbel = new SpikeFunction(Normaliser.IDENTITY, new GumbelSoftmaxSpikes());
        float[][] in = inputs(5, 1);
        CounterNoise engine = new CounterNoise(21);
        CounterNoise java = new CounterNoise(21);
        run(gumbel, in[0], in[1], engine, engine, false);
        run(gumbel, in[0], in[1], java, java, true);
        try (NDManager scope = manager.newSubManager()) {
            assertArrayEquals(engine.uniform(scope, new Shape(1000)).toFloatArray(),
                    java.uniform(scope, new Shape(1000)).toFloatArray());
        }
        assertEquals(CounterNoise.BLOCK, 1 << 16, "blocks of the noise and of the kernels differ in size");
    }
}
