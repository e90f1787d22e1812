package spsn.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import spsn.EngineTest;
import spsn.data.BatchAssembler;
import spsn.data.SparseBatch;
import spsn.data.SpikeDataset;
import spsn.data.SyntheticDataset;
import spsn.model.InputPath;
import spsn.model.IntegrationPath;
import spsn.model.Network;
import spsn.model.NetworkConfig;
import spsn.model.NeuronOptions;
import spsn.model.NeuronType;
import spsn.neuron.NoiseSource;
import spsn.neuron.spike.DeltaSpikes;
import spsn.train.Adamax;
import spsn.train.TrainStep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bench's fast=plain check: the fixed tolerances, the rounding yardstick that admits arrays
 * which are rounding noise themselves and nothing else, the full-size ParaLIF-D case that needs it
 * (its biases' gradients cancel to ~1e-7 of their terms), and recurrent ParaLIF-D, where the fast
 * path matches and modelled bugs of it do not. (At the bench's full size, recurrent ParaLIF-D's
 * rounding also flips spikes, which its feedback spreads, and only the membranes' moves measure
 * that: tools/fastpath/README.md; a full-size run of it would take a minute here.)
 */
class FastPathCheckTest extends EngineTest {

    private static float[] scaled(float[] values, float factor) {
        float[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= factor;
        }
        return out;
    }

    private static final float[] OUTPUT = {1f, 2f, 3f, 4f};
    private static final float[] WEIGHT_GRADIENT = {0.5f, -0.25f, 0.125f};
    /** A gradient that is rounding noise: the nudged plain run moves it by half. */
    private static final float[] NOISE_GRADIENT = {1e-12f, -2e-12f};

    private static float[][] reference() {
        return new float[][] {OUTPUT, WEIGHT_GRADIENT, NOISE_GRADIENT};
    }

    @Test
    void withinTheFixedTolerancesMatches() {
        float[][] fast = {OUTPUT, scaled(WEIGHT_GRADIENT, 1 + 1e-5f), NOISE_GRADIENT};
        FastPathCheck.Comparison c = FastPathCheck.Comparison.of(reference(), Map.of("java", fast), null);
        assertTrue(c.differing().isEmpty());
        assertEquals("yes (1e-05)", c.describe());
    }

    @Test
    void aRealErrorFailsEvenBesideRoundingNoise() {
        float[][] fast = {OUTPUT, scaled(WEIGHT_GRADIENT, 1.01f), scaled(NOISE_GRADIENT, 3f)};
        float[][] nudged = {OUTPUT, scaled(WEIGHT_GRADIENT, 1 + 1e-6f), scaled(NOISE_GRADIENT, 1.5f)};
        FastPathCheck.Comparison c = FastPathCheck.Comparison.of(reference(), Map.of("java", fast), nudged);
        assertEquals(List.of("java grad 1"), c.differing(), "the 1% error, not the noise");
        assertTrue(c.describe().startsWith("NO: java grad 1"));
    }

    @Test
    void roundingNoiseWithinTenTimesThePlainPathsOwnMatches() {
        float[][] fast = {OUTPUT, WEIGHT_GRADIENT, scaled(NOISE_GRADIENT, 3f)};
        float[][] nudged = {OUTPUT, WEIGHT_GRADIENT, scaled(NOISE_GRADIENT, 1.5f)};
        assertEquals(List.of("java grad 2"),
                FastPathCheck.Comparison.of(reference(), Map.of("java", fast), null).differing());
        FastPathCheck.Comparison c = FastPathCheck.Comparison.of(reference(), Map.of("java", fast), nudged);
        assertTrue(c.differing().isEmpty());
        assertEquals("yes (2e+00; rounding 5e-01)", c.describe());
        // beyond ten times it, a mismatch again
        float[][] far = {OUTPUT, WEIGHT_GRADIENT, scaled(NOISE_GRADIENT, 7f)};
        assertEquals(List.of("java grad 2"),
                FastPathCheck.Comparison.of(reference(), Map.of("java", far), nudged).differing());
    }

    @Test
    void theOutputsRoundingBoundsEveryArraysYardstick() {
        // the other rounding moves the output by 1% and happens to leave the weights' gradient as it was
        float[][] rounded = {scaled(OUTPUT, 1.01f), WEIGHT_GRADIENT, NOISE_GRADIENT};
        float[][] fast = {OUTPUT, scaled(WEIGHT_GRADIENT, 1.05f), NOISE_GRADIENT};
        FastPathCheck.Comparison c = FastPathCheck.Comparison.of(reference(), Map.of("java", fast), rounded);
        assertTrue(c.differing().isEmpty(), "5% within ten times the output's 1%: " + c.differing());
        assertEquals("yes (5e-02; rounding 1e-02)", c.describe());
        float[][] far = {OUTPUT, scaled(WEIGHT_GRADIENT, 1.2f), NOISE_GRADIENT};
        assertEquals(List.of("java grad 1"),
                FastPathCheck.Comparison.of(reference(), Map.of("java", far), rounded).differing());
    }

    /** The bench's recurrent ParaLIF-D network on the bench's first 16 samples, 400 steps. */
    private static final int RECURRENT_BATCH = 16;
    private static final int RECURRENT_STEPS = 400;

    private static SparseBatch firstSteps(SparseBatch full, int steps) {
        int[] kept = Arrays.stream(full.flatIndex()).filter(i -> i / full.channels() % full.steps() < steps)
                .map(i -> {
                    int channel = i % full.channels();
                    int step = i / full.channels() % full.steps();
                    int sample = i / full.channels() / full.steps();
                    return (sample * steps + step) * full.channels() + channel;
                }).toArray();
        return new SparseBatch(kept, full.batchSize(), steps, full.channels(), full.labels());
    }

    private static SparseBatch recurrentBatch() {
        SpikeDataset data = SyntheticDataset.generate(0, RECURRENT_BATCH, 1).train();
        return firstSteps(BatchAssembler.assembleSparse(new ArrayList<>(data.samples()), data.nbChannels()),
                RECURRENT_STEPS);
    }

    private static NetworkConfig recurrentDelta() {
        NeuronOptions recurrent = new NeuronOptions(true, false, false, null, NeuronOptions.DEFAULT.surrogate());
        return new NetworkConfig(NeuronType.fromCliName("ParaLIF-D"), 700, 128, 3, 20, 0.02, 0.02, recurrent);
    }

    /** Recurrent ParaLIF-D: the fast paths miss the fixed tolerance (its biases' gradients) and still match. */
    @Test
    void recurrentDeltaNetworkMatchesWithinItsRounding() {
        SparseBatch sparse = recurrentBatch();
        try (NDManager parent = manager.newSubManager();
             Network network = Network.create(parent, recurrentDelta(), 0);
             Adamax optimizer = Adamax.withDefaults(parent)) {
            String verdict = FastPathCheck.run(BenchCommand.trainStep(network, optimizer, parent), sparse, Device.cpu());
            assertTrue(verdict.startsWith("yes (") && verdict.contains("rounding"), verdict);
        }
    }

    /**
     * Bugs of the Java path, modelled on its membranes (every parallel layer's integration, both of
     * a recurrent layer's): one step late, or 2% low. The check, yardstick included, reports each.
     */
    @Test
    void bugsOfTheFastPathAreReportedOnARecurrentDeltaNetwork() {
        SparseBatch sparse = recurrentBatch();
        try (NDManager parent = manager.newSubManager();
             Network network = Network.create(parent, recurrentDelta(), 0);
             Adamax optimizer = Adamax.withDefaults(parent)) {
            TrainStep step = BenchCommand.trainStep(network, optimizer, parent);
            float[][] plain = FastPathCheck.outputAndGradients(step, sparse, FastPathCheck.PLAIN, step.noise(7));
            FastPathCheck.Path java = new FastPathCheck.Path("java-input", InputPath.JAVA, IntegrationPath.ENGINE);
            Map<String, float[][]> buggy = new LinkedHashMap<>();
            buggy.put("late", FastPathCheck.outputAndGradients(step, sparse, java,
                    new MembraneBug(step.noise(7), DeltaSpikes::shiftedInTime)));
            buggy.put("low", FastPathCheck.outputAndGradients(step, sparse, java,
                    new MembraneBug(step.noise(7), m -> m.mul(0.98f))));
            FastPathCheck.Comparison c = FastPathCheck.compare(step, sparse, plain, buggy, Device.cpu());
            for (String bug : buggy.keySet()) {
                assertTrue(c.differing().stream().anyMatch(d -> d.startsWith(bug + " ")), bug + ": " + c.describe());
            }
        }
    }

    /** The pass's noise, with every integrated membrane changed by {@code bug}. */
    private record MembraneBug(NoiseSource noise, UnaryOperator<NDArray> bug) implements NoiseSource {

        @Override
        public NDArray uniform(NDManager manager, Shape shape) {
            return noise.uniform(manager, shape);
        }

        @Override
        public NDArray membrane(NDArray integrated) {
            try (NDArray right = integrated) {
                return bug.apply(right);
            }
        }
    }

    /**
     * Full size (64 x 1126, the bench's batch), ParaLIF-D: every fast path matches, and the check
     * (nudged run included) leaves every parameter bit for bit as it was.
     */
    @Test
    void fullSizeDeltaNetworkMatchesAndKeepsItsParameters() {
        SpikeDataset data = SyntheticDataset.generate(0, 64, 1).train();
        SparseBatch sparse = BatchAssembler.assembleSparse(new ArrayList<>(data.samples()), data.nbChannels());
        NetworkConfig config = new NetworkConfig(NeuronType.fromCliName("ParaLIF-D"), data.nbChannels(), 128, 3,
                data.nbClasses(), 0.02, 0.02, NeuronOptions.DEFAULT);
        try (NDManager parent = manager.newSubManager();
             Network network = Network.create(parent, config, 0);
             Adamax optimizer = Adamax.withDefaults(parent)) {
            TrainStep step = BenchCommand.trainStep(network, optimizer, parent);
            List<float[]> before = new ArrayList<>();
            for (NDArray p : network.parameters().values()) {
                before.add(p.toFloatArray());
            }
            String verdict = FastPathCheck.run(step, sparse, Device.cpu());
            assertTrue(verdict.startsWith("yes"), verdict);
            int i = 0;
            for (NDArray p : network.parameters().values()) {
                assertArrayEquals(before.get(i++), p.toFloatArray(), 0f, "parameters restored");
            }
        }
    }
}
