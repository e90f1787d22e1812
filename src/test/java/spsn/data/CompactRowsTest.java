package spsn.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CompactRowsTest {

    /** The channels in bin b*steps+t, in the batch's order: an independent grouping. */
    private static List<List<Integer>> bins(int[] flat, int batch, int steps, int channels) {
        List<List<Integer>> bins = new ArrayList<>();
        for (int i = 0; i < batch * steps; i++) {
            bins.add(new ArrayList<>());
        }
        for (int f : flat) {
            bins.get(f / channels).add(f % channels);
        }
        return bins;
    }

    private static void assertCompact(int[] flat, int batch, int steps, int channels) {
        CompactRows rows = CompactRows.of(new SparseBatch(flat, batch, steps, channels, new long[batch]));
        List<List<Integer>> bins = bins(flat, batch, steps, channels);
        long nonEmpty = bins.stream().filter(b -> !b.isEmpty()).count();
        assertEquals(nonEmpty + 1, rows.rows(), "the non-empty bins and one empty row");
        assertEquals(flat.length, rows.spikes().spikeCount());
        assertEquals(rows.rows() - 1, rows.emptyRow());
        int expectedRow = 0;
        for (int b = 0; b < batch; b++) {
            int own = 0;
            for (int t = 0; t < steps; t++) {
                List<Integer> bin = bins.get(b * steps + t);
                int row = rows.rowOf()[b * steps + t];
                if (bin.isEmpty()) {
                    assertEquals(rows.emptyRow(), row, "empty bin " + b + "," + t);
                    continue;
                }
                // sample by sample, in time order
                assertEquals(expectedRow++, row, "bin " + b + "," + t);
                own++;
                int[] channels2 = Arrays.copyOfRange(rows.spikes().channel(), rows.spikes().rowStart()[row],
                        rows.spikes().rowStart()[row + 1]);
                assertArrayEquals(bin.stream().mapToInt(Integer::intValue).toArray(), channels2, "bin " + b + "," + t);
            }
            assertEquals(own, rows.rowsPerSample()[b], "rows of sample " + b);
            assertEquals(steps - own, rows.emptyBins(b), "empty bins of sample " + b);
        }
        int empty = rows.emptyRow();
        assertEquals(rows.spikes().rowStart()[empty], rows.spikes().rowStart()[empty + 1], "the empty row has no spike");
    }

    @Test
    void keepsTheNonEmptyBinsSampleBySampleAndOneEmptyRow() {
        Random random = new Random(9);
        int batch = 4;
        int steps = 13;
        int channels = 7;
        // sparse enough that many bins are empty; repeated bins (two spikes of one unit) are kept
        int[] sorted = random.ints(30, 0, batch * steps * channels).sorted().toArray();
        assertCompact(sorted, batch, steps, channels);
        int[] shuffled = random.ints(60, 0, batch * steps * channels).toArray();
        assertCompact(shuffled, batch, steps, channels);
        // a silent sample owns no row; a silent batch is the empty row alone
        int[] firstSampleOnly = random.ints(20, 0, steps * channels).toArray();
        assertCompact(firstSampleOnly, batch, steps, channels);
        assertCompact(new int[0], batch, steps, channels);
    }

    @Test
    void denseBatchesStillEndWithTheEmptyRow() {
        int batch = 2;
        int steps = 3;
        int channels = 2;
        int[] everyBin = new int[batch * steps];
        for (int bin = 0; bin < everyBin.length; bin++) {
            everyBin[bin] = bin * channels + 1;
        }
        CompactRows rows = CompactRows.of(new SparseBatch(everyBin, batch, steps, channels, new long[batch]));
        assertEquals(batch * steps + 1, rows.rows());
        assertEquals(0, rows.emptyBins(0));
        assertCompact(everyBin, batch, steps, channels);
    }
}
