package spsn.data;

/**
 * One sample of a spike-train dataset, kept sparse: spike {@code i} is at time bin {@code bins[i]}
 * on channel {@code units[i]}. Spikes are sorted by bin; the same (bin, unit) pair may repeat, and
 * repeats add up when the sample is made dense (values 2, 3, ... occur, as in the original).
 *
 * @param bins time bins (dt = 1 ms), ascending, each &ge; 0
 * @param units channel of each spike, 0 &le; unit &lt; number of channels
 * @param label class index
 * @param length number of time steps of the dense sample: max bin + 1 (0 for an empty sample)
 */
public record SpikeSample(int[] bins, short[] units, int label, int length) {

    public SpikeSample {
        if (bins.length != units.length) {
            throw new IllegalArgumentException(
                    "bins and units differ in length: " + bins.length + " vs " + units.length);
        }
    }

    /** Builds a sample whose length is its largest bin + 1. */
    public static SpikeSample of(int[] bins, short[] units, int label) {
        int max = -1;
        for (int b : bins) {
            max = Math.max(max, b);
        }
        return new SpikeSample(bins, units, label, max + 1);
    }

    public int spikeCount() {
        return bins.length;
    }

    /** Channel of spike {@code i} as an int (units are stored as unsigned 16-bit values). */
    public int unit(int i) {
        return Short.toUnsignedInt(units[i]);
    }
}
