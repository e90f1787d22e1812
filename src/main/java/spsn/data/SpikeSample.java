package spsn.data;

import java.util.Arrays;

/**
 * One sample of a spike-train dataset, kept sparse: spike {@code i} is at time bin
 * {@code bins()[i]} on channel {@code units()[i]}. Spikes are sorted by bin; the same (bin, unit)
 * pair may repeat, and repeats add up when the sample is made dense (values 2, 3, ... occur, as
 * in the original).
 *
 * <p>Stored compactly, because a loaded dataset is mostly this: the units (2 bytes a spike) and,
 * instead of a bin per spike, where each bin's spikes end (4 bytes a time step). A ~1 s sample of
 * ~9000 spikes thus takes ~22 KB instead of 54 KB, which keeps SSC (106,000 samples) in memory.
 */
public final class SpikeSample {

    private final short[] units;
    /** ends[b]: spikes in bins 0..b; the spikes of bin b are units[ends[b-1] .. ends[b]). */
    private final int[] ends;
    private final int label;

    /**
     * @param bins time bins (dt = 1 ms), ascending, each in 0..length-1
     * @param units channel of each spike, as unsigned 16-bit values
     * @param label class index
     * @param length time steps of the dense sample (at least max bin + 1)
     * @throws IllegalArgumentException when the bins are not ascending or lie outside 0..length-1
     */
    public SpikeSample(int[] bins, short[] units, int label, int length) {
        if (bins.length != units.length) {
            throw new IllegalArgumentException(
                    "bins and units differ in length: " + bins.length + " vs " + units.length);
        }
        int[] ends = new int[length];
        int previous = 0;
        for (int k = 0; k < bins.length; k++) {
            int b = bins[k];
            if (b < previous || b >= length) {
                throw new IllegalArgumentException("spike " + k + " has bin " + b + (b >= length
                        ? ", outside a sample of " + length + " steps" : ", before the bin of the spike before it"));
            }
            ends[b]++;
            previous = b;
        }
        for (int b = 1; b < length; b++) {
            ends[b] += ends[b - 1];
        }
        this.units = units;
        this.ends = ends;
        this.label = label;
    }

    /** Builds a sample whose length is its largest bin + 1. */
    public static SpikeSample of(int[] bins, short[] units, int label) {
        int max = -1;
        for (int b : bins) {
            max = Math.max(max, b);
        }
        return new SpikeSample(bins, units, label, max + 1);
    }

    /** The bin of every spike, ascending: a new array on every call. */
    public int[] bins() {
        int[] bins = new int[units.length];
        int k = 0;
        for (int b = 0; b < ends.length; b++) {
            Arrays.fill(bins, k, ends[b], b);
            k = ends[b];
        }
        return bins;
    }

    /** The channel of every spike (the stored array: do not change it). */
    public short[] units() {
        return units;
    }

    public int label() {
        return label;
    }

    /** Time steps of the dense sample: max bin + 1 (0 for an empty sample) unless given longer. */
    public int length() {
        return ends.length;
    }

    public int spikeCount() {
        return units.length;
    }

    /** Channel of spike {@code i} as an int (units are stored as unsigned 16-bit values). */
    public int unit(int i) {
        return Short.toUnsignedInt(units[i]);
    }

    /** Bytes this sample holds in its arrays (for the memory figures of a loaded set). */
    public long storedBytes() {
        return 2L * units.length + 4L * ends.length;
    }
}
