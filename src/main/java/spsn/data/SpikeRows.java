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
        int[] rowStart = new int[rows + 1];
        for (int i = 0; i < flat.length; i++) {
            int sampleStep = flat[i] / channels; // b * steps + t
            int row = (sampleStep % batch.steps()) * batch.batchSize() + sampleStep / batch.steps();
            rowOf[i] = row;
            rowStart[row + 1]++;
        }
        for (int r = 0; r < rows; r++) {
            rowStart[r + 1] += rowStart[r];
        }
        // counting sort by row, stable: within a row the channels keep the batch's order
        int[] next = rowStart.clone();
        int[] channel = new int[flat.length];
        for (int i = 0; i < flat.length; i++) {
            channel[next[rowOf[i]]++] = flat[i] % channels;
        }
        return new SpikeRows(rowStart, channel, rows, channels);
    }

    public int spikeCount() {
        return channel.length;
    }
}
