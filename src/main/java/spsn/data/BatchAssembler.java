package spsn.data;

import java.util.List;
import spsn.SpsnException;

/**
 * Turns samples into a batch the way the original's collate function does: time is padded to the
 * longest sample by adding zero rows at the START; spikes of one unit in one bin add up.
 */
public final class BatchAssembler {

    private BatchAssembler() {
    }

    public static DenseBatch assemble(List<SpikeSample> samples, int channels) {
        int steps = steps(samples);
        int size = checkedSize(samples.size(), steps, channels);
        float[] data = new float[size];
        long[] labels = new long[samples.size()];
        for (int b = 0; b < samples.size(); b++) {
            SpikeSample s = samples.get(b);
            int rowOffset = b * steps + (steps - s.length());
            int[] bins = s.bins();
            for (int k = 0; k < bins.length; k++) {
                data[(rowOffset + bins[k]) * channels + unit(s, k, channels)] += 1f;
            }
            labels[b] = s.label();
        }
        return new DenseBatch(data, samples.size(), steps, channels, labels);
    }

    public static SparseBatch assembleSparse(List<SpikeSample> samples, int channels) {
        int steps = steps(samples);
        checkedSize(samples.size(), steps, channels);
        int total = 0;
        for (SpikeSample s : samples) {
            total += s.spikeCount();
        }
        int[] flat = new int[total];
        long[] labels = new long[samples.size()];
        int at = 0;
        for (int b = 0; b < samples.size(); b++) {
            SpikeSample s = samples.get(b);
            int rowOffset = b * steps + (steps - s.length());
            int[] bins = s.bins();
            for (int k = 0; k < bins.length; k++) {
                flat[at++] = (rowOffset + bins[k]) * channels + unit(s, k, channels);
            }
            labels[b] = s.label();
        }
        return new SparseBatch(flat, samples.size(), steps, channels, labels);
    }

    private static int steps(List<SpikeSample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one sample");
        }
        int steps = 0;
        for (SpikeSample s : samples) {
            steps = Math.max(steps, s.length());
        }
        return steps;
    }

    private static int checkedSize(int batchSize, int steps, int channels) {
        long size = (long) batchSize * steps * channels;
        if (size > Integer.MAX_VALUE - 8) {
            throw SpsnException.usage("a batch of " + batchSize + " samples x " + steps + " steps x " + channels
                    + " channels is too large for one array; use a smaller --batch_size");
        }
        return (int) size;
    }

    /** Bins are checked by SpikeSample itself; units against the batch's channels here. */
    private static int unit(SpikeSample s, int k, int channels) {
        int u = s.unit(k);
        if (u >= channels) {
            throw new IllegalArgumentException("spike " + k + " (unit " + u + ") lies outside the " + channels
                    + " channels");
        }
        return u;
    }
}
