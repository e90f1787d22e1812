package spsn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import spsn.EngineTest;
import spsn.data.SparseBatch;

/** The plain path's dense inputs, written into engine memory, hold SparseBatch#toDense's counts. */
class SparseInputTest extends EngineTest {

    private static final int BATCH = 3;
    private static final int STEPS = 7;
    private static final int CHANNELS = 5;

    /** Spikes at random positions, several of them repeated (counts of 2 and more). */
    private static SparseBatch batch() {
        SplittableRandom random = new SplittableRandom(4);
        int[] flat = new int[60];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = i % 4 == 3 ? flat[i - 1] : random.nextInt(BATCH * STEPS * CHANNELS);
        }
        return new SparseBatch(flat, BATCH, STEPS, CHANNELS, new long[BATCH]);
    }

    @Test
    void denseHoldsTheCountsBatchFirst() {
        SparseBatch batch = batch();
        try (NDManager scope = manager.newSubManager(); NDArray dense = SparseInput.dense(scope, batch)) {
            assertEquals(new Shape(BATCH, STEPS, CHANNELS), dense.getShape());
            assertArrayEquals(batch.toDense(), dense.toFloatArray());
        }
    }

    @Test
    void timeMajorIsTheDenseFormTransposedAndPaddedAtTheEnd() {
        SparseBatch batch = batch();
        int padded = STEPS + 3;
        float[] dense = batch.toDense();
        float[] expected = new float[padded * BATCH * CHANNELS];
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS; t++) {
                for (int c = 0; c < CHANNELS; c++) {
                    expected[(t * BATCH + b) * CHANNELS + c] = dense[(b * STEPS + t) * CHANNELS + c];
                }
            }
        }
        try (NDManager scope = manager.newSubManager();
             NDArray timeMajor = SparseInput.denseTimeMajor(scope, batch, padded)) {
            assertEquals(new Shape(padded, BATCH, CHANNELS), timeMajor.getShape());
            assertArrayEquals(expected, timeMajor.toFloatArray());
        }
    }
}
