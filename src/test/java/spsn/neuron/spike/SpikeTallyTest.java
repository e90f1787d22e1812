package spsn.neuron.spike;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import spsn.EngineTest;
import spsn.model.NeuronType;
import spsn.neuron.BackwardTape;
import spsn.neuron.CounterNoise;
import spsn.neuron.NoiseSource;
import spsn.neuron.SpikeTally;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spike tallies of the Java spike steps (SpikeTally) against a count of the spikes they
 * return, over the real steps only: arrays padded in time, spanning several parallel blocks of
 * the noise and of the kernels, the real steps ending inside a block.
 */
class SpikeTallyTest extends EngineTest {

    /** 59 steps, of which 51 are real: 71,400 of 82,600 elements, inside a block of 2^15 or 2^16. */
    private static final Shape SHAPE = new Shape(59, 2, 700);
    private static final int REAL_STEPS = 51;

    /** Σ_neurons of the per-neuron mean over batch and real steps, counted here in doubles. */
    private static double countedSum(float[] spikes) {
        long realElements = (long) REAL_STEPS * SHAPE.get(1) * SHAPE.get(2);
        double total = 0;
        for (int i = 0; i < realElements; i++) {
            total += spikes[i];
        }
        return total / (REAL_STEPS * SHAPE.get(1));
    }

    private static void assertTallied(NeuronType type, NoiseSource noise) {
        try (NDManager scope = manager.newSubManager()) {
            Random random = new Random(5);
            float[] mem = new float[(int) SHAPE.size()];
            for (int i = 0; i < mem.length; i++) {
                mem[i] = (float) random.nextGaussian();
            }
            NDArray input = scope.create(mem, SHAPE);
            SpikeTally counts = new SpikeTally(REAL_STEPS);
            SpikeFunction function = type.spikeFunction(Surrogate.DEFAULT);
            NDArray threshold = scope.create(0.1f);
            float[] spikes = function.apply(input, threshold, noise, new BackwardTape(), counts).toFloatArray();
            assertTrue(counts.started(), type + ": the Java step tallied");
            double expected = countedSum(spikes);
            assertTrue(expected > 0, type + ": some spikes");
            double all = sumAll(spikes) / (REAL_STEPS * SHAPE.get(1));
            assertTrue(all > expected, type + ": the padding fires too, and must not count");
            assertEquals(expected, counts.sumOfRates(), 1e-12 * expected, type + ": tally against the spikes");
        }
    }

    private static double sumAll(float[] spikes) {
        double total = 0;
        for (float spike : spikes) {
            total += spike;
        }
        return total;
    }

    @Test
    void everyJavaStepTalliesTheSpikesOfTheRealStepsAlone() {
        for (NeuronType type : new NeuronType[] {NeuronType.SPSN_SB, NeuronType.SPSN_GS, NeuronType.PARALIF_TRB,
                NeuronType.PARALIF_T, NeuronType.PARALIF_SD, NeuronType.PARALIF_TRD}) {
            assertTallied(type, new CounterNoise(9));
        }
    }

    /** Fixed noise in tests: the Gumbel-softmax step's other branch tallies too. */
    @Test
    void theGumbelSoftmaxStepOnOtherNoiseTalliesToo() {
        assertTallied(NeuronType.SPSN_GS, (manager, shape) -> manager.randomUniform(0, 1, shape));
    }

    /** A generator with no Java step leaves the tally unstarted: the caller then counts the spikes. */
    @Test
    void aStepWithoutJavaKernelLeavesTheTallyUnstarted() {
        try (NDManager scope = manager.newSubManager()) {
            SpikeTally counts = new SpikeTally(REAL_STEPS);
            NDArray input = scope.randomNormal(SHAPE);
            NeuronType.PARALIF_NT.spikeFunction(Surrogate.DEFAULT)
                    .apply(input, scope.create(0.1f), new CounterNoise(1), new BackwardTape(), counts).close();
            assertFalse(counts.started());
        }
    }

    /** Blocks of any length and start, in any order, against a plain count. */
    @Test
    void blocksAddUpToThePlainCountWhateverTheirSplit() {
        int steps = 6;
        Shape shape = new Shape(7, 3, 5);
        float[] spikes = new float[(int) shape.size()];
        Random random = new Random(2);
        for (int i = 0; i < spikes.length; i++) {
            spikes[i] = random.nextBoolean() ? 1f : 0f;
        }
        double expected = 0;
        for (int i = 0; i < steps * 15; i++) {
            expected += spikes[i];
        }
        expected /= steps * 3;
        for (int split : new int[] {1, 3, 4, 7, 15, 40, 105}) {
            SpikeTally counts = new SpikeTally(steps);
            counts.start(shape);
            for (int start = spikes.length - 1 - (spikes.length - 1) % split; start >= 0; start -= split) {
                int length = Math.min(split, spikes.length - start);
                float[] block = new float[length];
                System.arraycopy(spikes, start, block, 0, length);
                counts.add(block, start, length);
            }
            assertEquals(expected, counts.sumOfRates(), 1e-12, "blocks of " + split);
        }
    }

    @Test
    void aShapeShorterThanTheRealStepsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SpikeTally(8).start(new Shape(7, 3, 5)));
    }
}
