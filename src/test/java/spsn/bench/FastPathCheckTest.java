package spsn.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import spsn.EngineTest;
import spsn.data.BatchAssembler;
import spsn.data.SparseBatch;
import spsn.data.SpikeDataset;
import spsn.data.SyntheticDataset;
import spsn.model.Network;
import spsn.model.NetworkConfig;
import spsn.model.NeuronOptions;
import spsn.model.NeuronType;
import spsn.train.Adamax;
import spsn.train.TrainStep;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bench's fast=plain check: the fixed tolerances, the rounding yardstick that admits arrays
 * which are rounding noise themselves and nothing else, and the full-size ParaLIF-D case that
 * needs it (its biases' gradients cancel to ~1e-7 of their terms).
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
