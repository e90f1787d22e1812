package spsn.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import spsn.EngineTest;
import spsn.data.SparseBatch;
import spsn.neuron.CounterNoise;
import spsn.neuron.LeakyIntegrator;
import spsn.neuron.spike.Surrogate;
import spsn.train.LossMode;
import spsn.train.Losses;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The network's fast paths (sparse first layer, time axis padded to whole chunks) change nothing. */
class NetworkTest extends EngineTest {

    private static final int BATCH = 2;
    private static final int CHANNELS = 50;
    private static Network network(NeuronType neuron) {
        // ParaLIF's threshold modes cannot fire at their default theta of 1 through sigmoid or
        // relu(tanh) (below 1), nor its delta modes often at 0.1 in these short samples; a silent
        // layer passes no gradient through relu(tanh) to the first layer: lower thresholds
        double theta = neuron.defaultThreshold() == 0.1 ? 0.02 : 0.3;
        NeuronOptions options = neuron.family() == NeuronFamily.PARALIF
                ? new NeuronOptions(false, false, false, theta, Surrogate.DEFAULT) : NeuronOptions.DEFAULT;
        return Network.create(manager, new NetworkConfig(neuron, CHANNELS, 24, 2, 5, 0.02, 0.02, options), 3);
    }

    /** Random spike counts (0, 1 or 2 per bin, ~6% of bins), as [B, T, channels]. */
    private static float[] input(int steps, long seed) {
        Random random = new Random(seed);
        float[] x = new float[BATCH * steps * CHANNELS];
        for (int i = 0; i < x.length; i++) {
            double r = random.nextDouble();
            x[i] = r < 0.01 ? 2 : r < 0.06 ? 1 : 0;
        }
        return x;
    }

    private static SparseBatch sparse(float[] dense, int steps) {
        int[] flat = IntStream.range(0, dense.length).flatMap(i -> IntStream.range(0, (int) dense[i]).map(k -> i))
                .toArray();
        return new SparseBatch(flat, BATCH, steps, CHANNELS, new long[BATCH]);
    }

    /** Output and every parameter's gradient (cross-entropy of the mean output) of one pass. */
    private static List<float[]> outputAndGradients(Network network, Function<NDManager, ForwardResult> pass) {
        return outputAndGradients(network, pass, LossMode.MEAN, false);
    }

    /**
     * Logits (or the full output) and every parameter's gradient of the cross-entropy over time
     * reduced by {@code mode}: from the readout, or ({@code direct}) by reducing the full output.
     */
    private static List<float[]> outputAndGradients(Network network, Function<NDManager, ForwardResult> pass,
                                                    LossMode mode, boolean direct) {
        List<float[]> values = new ArrayList<>();
        try (NDManager scope = manager.newSubManager()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                ForwardResult result = pass.apply(scope);
                NDArray logits = direct ? Losses.reduceOverTime(result.output(), mode) : Losses.logits(result, mode);
                result.backward(gc, Losses.crossEntropy(logits, scope.create(new long[] {1, 3})));
                values.add(logits.toFloatArray());
                values.add(result.output().toFloatArray());
            }
            for (NDArray p : network.parameters().values()) {
                values.add(p.getGradient().toFloatArray());
                p.getGradient().subi(p.getGradient());
            }
        }
        return values;
    }

    @ParameterizedTest
    @EnumSource(NeuronType.class)
    void spikeListPathsGiveTheDenseOutputAndGradients(NeuronType neuron) {
        for (int steps : new int[] {20, 40, 100}) {
            for (LossMode mode : new LossMode[] {LossMode.MEAN, LossMode.LAST}) {
                try (Network network = network(neuron)) {
                    float[] x = input(steps, steps);
                    SparseBatch batch = sparse(x, steps);
                    List<float[]> dense = outputAndGradients(network, scope -> network.forward(
                            scope.create(x, new Shape(BATCH, steps, CHANNELS)), new CounterNoise(1)), mode, false);
                    for (InputPath path : InputPath.values()) {
                        float gradientScale = 0;
                        for (int i = 2; i < dense.size(); i++) {
                            gradientScale = Math.max(gradientScale, maxAbs(dense.get(i)));
                        }
                        for (IntegrationPath integration : IntegrationPath.values()) {
                            List<float[]> fast = outputAndGradients(network, scope -> network.forward(
                                    scope, batch, new CounterNoise(1), path, integration), mode, false);
                            assertEquals(BATCH * steps * 5, fast.get(1).length);
                            for (int i = 0; i < dense.size(); i++) {
                                String what = neuron + " " + path + " " + integration + " " + mode + " T=" + steps
                                        + (i == 0 ? " logits" : i == 1 ? " output" : " gradient " + i);
                                if (integration == IntegrationPath.ENGINE) {
                                    assertClose(dense.get(i), fast.get(i), what, i < 2 ? 0 : gradientScale);
                                } else {
                                    // another integration: its rounding, amplified where a surrogate
                                    // of slope 100 or a reset meets it, at the parity tests' scale
                                    // (the parity tests hold both to the float64 reference)
                                    assertCloseWithin(dense.get(i), fast.get(i), dense.get(i).length == 1 ? 1e-3f : 1e-4f,
                                            what, i < 2 ? 0 : gradientScale);
                                }
                            }
                            // the first layer learns: its weight gradient is not zero
                            assertTrue(maxAbs(fast.get(2)) > 0, "first-layer weight gradient, " + path + " " + integration);
                        }
                    }
                }
            }
        }
    }

    /**
     * The Java integration with everything that learns or feeds back: recurrent layers (spikes or
     * relu fed back), learnable thresholds and time constants (the output layer's included), one
     * per layer or one per neuron, the rate regularisers in the loss (spikes used on both sides of
     * a Java step).
     */
    @ParameterizedTest
    @EnumSource(value = NeuronType.class, names = {"SPSN_SB", "PARALIF_GS", "PARALIF_SD", "PARALIF_T", "LIF_LT"})
    void javaIntegrationGivesTheEnginesGradientsWhenRecurrentAndLearning(NeuronType neuron) {
        int steps = 45;
        float[] x = input(steps, 21);
        for (boolean recurrentRelu : new boolean[] {false, true}) {
            double theta = neuron.defaultThreshold() == 0.1 ? 0.02 : 0.3;
            // the relu-fed round also with per-neuron thresholds and time constants
            boolean paralif = neuron.family() == NeuronFamily.PARALIF;
            NeuronOptions options = new NeuronOptions(paralif, recurrentRelu, paralif, paralif ? theta : null,
                    Surrogate.DEFAULT, paralif && recurrentRelu && neuron.dynamics() == NeuronType.Dynamics.PARALLEL);
            NetworkConfig config = new NetworkConfig(neuron, CHANNELS, 24, 2, 5, 0.02, 0.02, options);
            try (Network network = Network.create(manager, config, 5)) {
                SparseBatch batch = sparse(x, steps);
                List<float[]> engine = regularisedGradients(network, scope -> network.forward(scope, batch,
                        new CounterNoise(3), InputPath.JAVA, IntegrationPath.ENGINE));
                List<float[]> java = regularisedGradients(network, scope -> network.forward(scope, batch,
                        new CounterNoise(3), InputPath.JAVA, IntegrationPath.JAVA));
                List<String> names = new ArrayList<>(network.parameters().keySet());
                for (int i = 0; i < engine.size(); i++) {
                    // two integrations and a threshold's surrogate (slope 100) amplify the rounding
                    // of the integration's differently ordered sums: 1e-4, the parity tests' scale
                    assertCloseWithin(engine.get(i), java.get(i), engine.get(i).length == 1 ? 1e-3f : 1e-4f,
                            neuron + (recurrentRelu ? " relu-fed, per neuron " : " ")
                            + (i == 0 ? "logits" : "gradient of " + names.get(i - 1)), 0);
                }
                assertTrue(maxAbs(java.get(1)) > 0, neuron + ": the first layer learns");
            }
        }
    }

    /** Logits and every parameter's gradient of cross-entropy plus both rate regularisers. */
    private static List<float[]> regularisedGradients(Network network, Function<NDManager, ForwardResult> pass) {
        List<float[]> values = new ArrayList<>();
        try (NDManager scope = manager.newSubManager()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                ForwardResult result = pass.apply(scope);
                NDArray logits = Losses.logits(result, LossMode.MEAN);
                NDArray loss = Losses.crossEntropy(logits, scope.create(new long[] {1, 3}))
                        .add(Losses.rateRegularizer(result.rates(), 0.01));
                if (!result.recurrentRates().isEmpty()) {
                    loss = loss.add(Losses.recurrentRateRegularizer(result.recurrentRates(), 0.01, 48, loss));
                }
                result.backward(gc, loss);
                values.add(logits.toFloatArray());
            }
            for (NDArray p : network.parameters().values()) {
                values.add(p.getGradient().toFloatArray());
                p.getGradient().subi(p.getGradient());
            }
        }
        return values;
    }

    @ParameterizedTest
    @EnumSource(InputPath.class)
    void nonSpikingRunsOnTheNonEmptyBinsWithSilentSamplesAndPadding(InputPath path) {
        // sample 0 silent but for its last step, sample 1 silent throughout: the empty row stands
        // for nearly every bin, and one sample has no row of its own
        int steps = 30;
        float[] x = new float[BATCH * steps * CHANNELS];
        x[(steps - 1) * CHANNELS + 4] = 1;
        x[(steps - 1) * CHANNELS + 9] = 2;
        try (Network network = network(NeuronType.NON_SPIKING)) {
            for (LossMode mode : LossMode.values()) {
                List<float[]> dense = outputAndGradients(network, scope -> network.forward(
                        scope.create(x, new Shape(BATCH, steps, CHANNELS)), new CounterNoise(1)), mode, false);
                List<float[]> compact = outputAndGradients(network, scope -> network.forward(
                        scope, sparse(x, steps), new CounterNoise(1), path), mode, false);
                for (int i = 0; i < dense.size(); i++) {
                    assertClose(dense.get(i), compact.get(i), path + " " + mode + (i < 2 ? " output " : " gradient ") + i);
                }
            }
        }
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /**
     * Equal up to the rounding of sums taken in another order: 1e-5 of the array's scale; 1e-4
     * for a single value (a learnable threshold's gradient sums every element of its layer).
     */
    private static void assertClose(float[] expected, float[] actual, String what) {
        assertClose(expected, actual, what, 0);
    }

    /**
     * The same, a single gradient value also within 1e-5 of {@code gradientScale} (the network's
     * largest gradient): a threshold's gradient sums its whole layer's terms and can cancel to far
     * below them (escape-noise spikes put many neurons near the threshold, where the surrogate's
     * gradient changes fastest), and such a sum is only as exact as its terms.
     */
    private static void assertClose(float[] expected, float[] actual, String what, float gradientScale) {
        float tolerance = (expected.length == 1 ? 1e-4f : 1e-5f) * Math.max(maxAbs(expected), 1e-20f);
        if (expected.length == 1) {
            tolerance = Math.max(tolerance, 1e-5f * gradientScale);
        }
        assertArrayEquals(expected, actual, tolerance, what);
    }

    /**
     * Within {@code relative} of the array's scale, a single value also within 1e-4 of
     * {@code gradientScale} (see above, ten times looser for another integration's rounding).
     */
    private static void assertCloseWithin(float[] expected, float[] actual, float relative, String what,
                                          float gradientScale) {
        float tolerance = relative * Math.max(maxAbs(expected), 1e-20f);
        if (expected.length == 1) {
            tolerance = Math.max(tolerance, 1e-4f * gradientScale);
        }
        assertArrayEquals(expected, actual, tolerance, what);
    }

    @ParameterizedTest
    @EnumSource(NeuronType.class)
    void readoutOverTimeEqualsReducingTheFullOutput(NeuronType neuron) {
        // 100 steps, padded to whole chunks: the padded steps must not enter the mean or the last step
        int steps = 100;
        float[] x = input(steps, 11);
        try (Network network = network(neuron)) {
            for (LossMode mode : new LossMode[] {LossMode.MEAN, LossMode.LAST}) {
                List<float[]> direct = outputAndGradients(network, scope -> network.forward(
                        scope.create(x, new Shape(BATCH, steps, CHANNELS)), new CounterNoise(4)), mode, true);
                List<float[]> reduced = outputAndGradients(network, scope -> network.forward(
                        scope.create(x, new Shape(BATCH, steps, CHANNELS)), new CounterNoise(4)), mode, false);
                for (int i = 0; i < direct.size(); i++) {
                    assertClose(reduced.get(i), direct.get(i), neuron + " " + mode + (i == 0 ? " logits" : " gradient " + i));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(NeuronType.class)
    void paddingNeverReachesARealStep(NeuronType neuron) {
        // 100 steps are padded to 128, 150 to 192: the first 100 outputs must not differ (the noise
        // of step t does not depend on the length either: it is indexed time first). The rates,
        // means over real steps only, are checked against the reference in NetworkParityTest.
        try (NDManager scope = manager.newSubManager(); Network network = network(neuron)) {
            float[] longer = input(150, 7);
            float[] shorter = new float[BATCH * 100 * CHANNELS];
            for (int b = 0; b < BATCH; b++) {
                System.arraycopy(longer, b * 150 * CHANNELS, shorter, b * 100 * CHANNELS, 100 * CHANNELS);
            }
            ForwardResult a = network.forward(scope.create(shorter, new Shape(BATCH, 100, CHANNELS)), new CounterNoise(2));
            ForwardResult b = network.forward(scope.create(longer, new Shape(BATCH, 150, CHANNELS)), new CounterNoise(2));
            NDArray head = b.output().get(new NDIndex(":, :100, :"));
            assertTrue(a.output().allClose(head, 1e-5, 1e-5, false), neuron.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(NeuronType.class)
    void spikingNetworksPadToWholeChunks(NeuronType neuron) {
        int chunk = LeakyIntegrator.CHUNK;
        try (Network network = network(neuron)) {
            for (int steps : new int[] {1, chunk - 1, chunk, chunk + 1, 3 * chunk, 1126}) {
                int padded = network.paddedSteps(steps);
                if (!neuron.spiking() || steps <= chunk) {
                    assertEquals(steps, padded, neuron + ", " + steps + " steps");
                } else {
                    assertTrue(padded % chunk == 0 && padded >= steps && padded < steps + chunk,
                            neuron + ", " + steps + " steps padded to " + padded);
                }
            }
        }
    }
}
