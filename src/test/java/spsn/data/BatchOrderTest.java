package spsn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import spsn.SpsnException;

class BatchOrderTest {

    @Test
    void fileOrderKeepsTheLastPartialBatch() {
        BatchOrder order = new BatchOrder(10, 4, false, 123);
        assertEquals(3, order.batchCount());
        List<int[]> batches = order.batches(0);
        assertEquals(3, batches.size());
        assertArrayEquals(new int[] {0, 1, 2, 3}, batches.get(0));
        assertArrayEquals(new int[] {4, 5, 6, 7}, batches.get(1));
        assertArrayEquals(new int[] {8, 9}, batches.get(2));
        assertArrayEquals(flat(batches), flat(order.batches(5)));
    }

    @Test
    void shuffleIsAPermutationRepeatablePerSeedAndEpoch() {
        BatchOrder a = new BatchOrder(100, 16, true, 7);
        BatchOrder b = new BatchOrder(100, 16, true, 7);
        assertEquals(7, a.batchCount());
        for (int epoch = 0; epoch < 3; epoch++) {
            int[] perm = flat(a.batches(epoch));
            assertArrayEquals(perm, flat(b.batches(epoch)));
            int[] sorted = perm.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < 100; i++) {
                assertEquals(i, sorted[i]);
            }
            assertEquals(4, a.batches(epoch).get(6).length);
        }
    }

    @Test
    void shuffleDiffersAcrossEpochsAndSeeds() {
        BatchOrder a = new BatchOrder(100, 16, true, 7);
        BatchOrder c = new BatchOrder(100, 16, true, 8);
        int[] e0 = flat(a.batches(0));
        assertFalse(Arrays.equals(e0, flat(a.batches(1))));
        assertFalse(Arrays.equals(e0, flat(c.batches(0))));
        assertFalse(Arrays.equals(flat(a.batches(1)), flat(c.batches(0))));
        assertFalse(Arrays.equals(e0, flat(new BatchOrder(100, 16, false, 7).batches(0))));
    }

    @Test
    void rejectsANonPositiveBatchSize() {
        SpsnException e = assertThrows(SpsnException.class, () -> new BatchOrder(10, 0, true, 1));
        assertEquals(SpsnException.USAGE, e.exitCode());
    }

    @Test
    void emptyDatasetHasNoBatches() {
        assertEquals(0, new BatchOrder(0, 4, true, 1).batchCount());
        assertEquals(0, new BatchOrder(0, 4, true, 1).batches(0).size());
    }

    private static int[] flat(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }
}
