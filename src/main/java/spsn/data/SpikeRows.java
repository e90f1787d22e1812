package spsn.data;

/**
 * A batch's spikes grouped by time-first row (compressed sparse rows): row r = t*B + b holds the
 * channels of the spikes of sample b at step t, one entry per spike (a bin with two spikes lists
 * its channel twice). Rows from {@code batchSize * steps} up to {@code rows} are padding and empty.
 *
 * @param rowStart entries of row r are {@code channel[rowStart[r] .. rowStart[r+1])}
 * @param channel the channel of each spike, row by row
 */
public record SpikeRows(int[] rowStart, int[] channel, int rows, int channels) {

    /** Groups {@code batch} by time-first row, for a time axis padded to {@code paddedSteps}. */
    public static SpikeRows timeMajor(SparseBatch batch, int paddedSteps) {
        if (paddedSteps < batch.steps()) {
            throw new IllegalArgumentException("padded length " + paddedSteps + " < " + batch.steps() + " steps");
        }
        int rows = Math.multiplyExact(paddedSteps, batch.batchSize());
        int channels = batch.channels();
        int[] flat = batch.flatIndex();
        int[] rowOf = new int[flat.length];
        int[] columnOf = new int[flat.length];
        int sampleSize = batch.steps() * channels;
        int sample = 0;
        for (int i = 0; i < flat.length; i++) {
            int local = flat[i] - sample * sampleSize;
            if (local < 0 || local >= sampleSize) {
                // batches list their samples one after the other, so this division is rare
                sample = flat[i] / sampleSize;
                local = flat[i] - sample * sampleSize;
            }
            int step = local / channels;
            int row = step * batch.batchSize() + sample;
            rowOf[i] = row;
            columnOf[i] = local - step * channels;
        }
        return byRow(rowOf, columnOf, rows, channels);
    }

    /**
     * Spike i, of channel {@code channelOf[i]}, goes to row {@code rowOf[i]}: a counting sort by
     * row, stable, so that within a row the channels keep their order.
     */
    static SpikeRows byRow(int[] rowOf, int[] channelOf, int rows, int channels) {
        int[] rowStart = new int[rows + 1];
        for (int row : rowOf) {
            rowStart[row + 1]++;
        }
        for (int r = 0; r < rows; r++) {
            rowStart[r + 1] += rowStart[r];
        }
        int[] next = rowStart.clone();
        int[] channel = new int[channelOf.length];
        for (int i = 0; i < rowOf.length; i++) {
            channel[next[rowOf[i]]++] = channelOf[i];
        }
        return new SpikeRows(rowStart, channel, rows, channels);
    }

    public int spikeCount() {
        return channel.length;
    }
}
