package spsn.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SpikeRowsTest {

    /** Row t*B+b lists the channels of sample b's spikes at step t, in the batch's order. */
    private static List<List<Integer>> expectedRows(int[] flat, int batch, int steps, int channels, int padded) {
        List<List<Integer>> rows = new ArrayList<>();
        for (int r = 0; r < padded * batch; r++) {
            rows.add(new ArrayList<>());
        }
        for (int f : flat) {
            int b = f / (steps * channels);
            int t = f / channels % steps;
            rows.get(t * batch + b).add(f % channels);
        }
        return rows;
    }

    private static void assertRows(int[] flat, int batch, int steps, int channels, int padded) {
        SpikeRows rows = SpikeRows.timeMajor(new SparseBatch(flat, batch, steps, channels, new long[batch]), padded);
        List<List<Integer>> expected = expectedRows(flat, batch, steps, channels, padded);
        assertEquals(padded * batch, rows.rows());
        assertEquals(flat.length, rows.spikeCount());
        for (int r = 0; r < rows.rows(); r++) {
            int[] actual = Arrays.copyOfRange(rows.channel(), rows.rowStart()[r], rows.rowStart()[r + 1]);
            assertArrayEquals(expected.get(r).stream().mapToInt(Integer::intValue).toArray(), actual, "row " + r);
        }
    }

    @Test
    void groupsSpikesByTimeFirstRowsKeepingDuplicatesAndPaddingEmpty() {
        Random random = new Random(5);
        int batch = 3;
        int steps = 7;
        int channels = 11;
        // samples one after the other (as BatchAssembler lists them), with repeated bins
        int[] ordered = random.ints(200, 0, batch * steps * channels).sorted().toArray();
        assertRows(ordered, batch, steps, channels, steps);
        assertRows(ordered, batch, steps, channels, 10);
        // any order works too
        int[] shuffled = random.ints(200, 0, batch * steps * channels).toArray();
        assertRows(shuffled, batch, steps, channels, 9);
        assertRows(new int[0], batch, steps, channels, steps);
    }

    @Test
    void rejectsAPaddedLengthShorterThanTheBatch() {
        SparseBatch batch = new SparseBatch(new int[] {0}, 1, 5, 2, new long[1]);
        assertThrows(IllegalArgumentException.class, () -> SpikeRows.timeMajor(batch, 4));
    }
}
