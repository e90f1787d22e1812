package spsn.data;

/** Stable ordering of a sample's spikes by time bin (counting sort: bins are small integers). */
final class SpikeSorter {

    private SpikeSorter() {
    }

    static boolean isSorted(int[] bins) {
        for (int i = 1; i < bins.length; i++) {
            if (bins[i] < bins[i - 1]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Sorts {@code bins} and {@code units} together by bin, keeping the order of spikes in the
     * same bin. Does nothing when they are already sorted. Bins must be &ge; 0.
     */
    static void sortByBin(int[] bins, short[] units) {
        if (isSorted(bins)) {
            return;
        }
        int max = 0;
        for (int b : bins) {
            max = Math.max(max, b);
        }
        int[] start = new int[max + 2];
        for (int b : bins) {
            start[b + 1]++;
        }
        for (int i = 1; i < start.length; i++) {
            start[i] += start[i - 1];
        }
        int[] sortedBins = new int[bins.length];
        short[] sortedUnits = new short[units.length];
        for (int i = 0; i < bins.length; i++) {
            int at = start[bins[i]]++;
            sortedBins[at] = bins[i];
            sortedUnits[at] = units[i];
        }
        System.arraycopy(sortedBins, 0, bins, 0, bins.length);
        System.arraycopy(sortedUnits, 0, units, 0, units.length);
    }
}
