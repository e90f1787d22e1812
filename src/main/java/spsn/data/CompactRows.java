package spsn.data;

/**
 * A batch's spikes as its non-empty bins only, for networks whose step t depends on input step t
 * alone (Non-Spiking): every empty bin, padding included, gives the same output, so it is computed
 * once. Rows are the non-empty (sample, step) bins, sample by sample and in time order within a
 * sample, then one empty row that stands for all the empty bins. In the bench's SHD-sized batch
 * 17% of the bins are empty, mostly the padding of shorter samples.
 *
 * @param spikes        the rows' spikes (compressed sparse rows); its last row is the empty one
 * @param rowsPerSample non-empty rows of each sample: sample b owns the rows from the sum of the
 *                      counts before it, in time order
 * @param rowOf         for bin (b, t) at {@code b * steps + t}: its row, {@link #emptyRow()} if empty
 * @param steps         time steps of the batch
 */
public record CompactRows(SpikeRows spikes, int[] rowsPerSample, int[] rowOf, int steps) {

    /** Groups {@code batch}'s spikes by non-empty bin, sample by sample. */
    public static CompactRows of(SparseBatch batch) {
        int steps = batch.steps();
        int channels = batch.channels();
        int bins = Math.multiplyExact(batch.batchSize(), steps);
        // the flat index (b * steps + t) * channels + c names its bin b * steps + t directly
        int[] flatIndex = batch.flatIndex();
        int[] binOf = new int[flatIndex.length];
        int[] spikesPerBin = new int[bins];
        for (int i = 0; i < flatIndex.length; i++) {
            binOf[i] = flatIndex[i] / channels;
            spikesPerBin[binOf[i]]++;
        }
        int nonEmpty = 0;
        for (int count : spikesPerBin) {
            nonEmpty += count > 0 ? 1 : 0;
        }
        // rows in bin order (sample by sample, time within), the empty row last
        int[] rowOf = new int[bins];
        int[] rowsPerSample = new int[batch.batchSize()];
        for (int bin = 0, row = 0; bin < bins; bin++) {
            if (spikesPerBin[bin] > 0) {
                rowsPerSample[bin / steps]++;
                rowOf[bin] = row++;
            } else {
                rowOf[bin] = nonEmpty;
            }
        }
        int[] spikeRow = new int[flatIndex.length];
        int[] channel = new int[flatIndex.length];
        for (int i = 0; i < flatIndex.length; i++) {
            spikeRow[i] = rowOf[binOf[i]];
            channel[i] = flatIndex[i] - binOf[i] * channels;
        }
        return new CompactRows(SpikeRows.byRow(spikeRow, channel, nonEmpty + 1, channels), rowsPerSample, rowOf,
                steps);
    }

    public int batchSize() {
        return rowsPerSample.length;
    }

    /** Rows in all: the non-empty bins and the one empty row. */
    public int rows() {
        return spikes.rows();
    }

    /** The row that stands for every empty bin: the last. */
    public int emptyRow() {
        return spikes.rows() - 1;
    }

    /** Empty bins of sample b, each of which is {@link #emptyRow()}. */
    public int emptyBins(int sample) {
        return steps - rowsPerSample[sample];
    }
}
