package spsn.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import spsn.SpsnException;

/**
 * Which samples go into which batch, epoch by epoch: a fresh permutation per epoch when
 * shuffling (the original's train loader), file order otherwise (its test loader). The last,
 * partial batch is kept (PyTorch's drop_last=False). A permutation depends only on the seed
 * and the epoch number, so a run can be repeated or resumed.
 */
public final class BatchOrder {

    private final int datasetSize;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;

    public BatchOrder(int datasetSize, int batchSize, boolean shuffle, long seed) {
        if (datasetSize < 0) {
            throw new IllegalArgumentException("dataset size must be >= 0, got " + datasetSize);
        }
        if (batchSize < 1) {
            throw SpsnException.usage("the batch size must be at least 1, got " + batchSize + " (--batch_size)");
        }
        this.datasetSize = datasetSize;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
    }

    public int batchCount() {
        return (datasetSize + batchSize - 1) / batchSize;
    }

    /** Sample indices of every batch of {@code epoch}, in the order they are used. */
    public List<int[]> batches(int epoch) {
        int[] order = new int[datasetSize];
        for (int i = 0; i < datasetSize; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom rng = new SplittableRandom(mix(mix(seed) + epoch));
            for (int i = datasetSize - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
        }
        List<int[]> batches = new ArrayList<>(batchCount());
        for (int start = 0; start < datasetSize; start += batchSize) {
            int[] batch = new int[Math.min(batchSize, datasetSize - start)];
            System.arraycopy(order, start, batch, 0, batch.length);
            batches.add(batch);
        }
        return batches;
    }

    /** SplitMix64 finaliser: nearby (seed, epoch) pairs give unrelated streams. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
