package spsn.data;

/**
 * A batch as the network's input: spike counts, row-major [batchSize, steps, channels].
 * Shorter samples are padded with zero rows at the START, so every sample ends at the last step.
 *
 * @param data spike counts, index {@code (b * steps + t) * channels + c}
 * @param labels class index of each sample (long, as the loss wants it)
 */
public record DenseBatch(float[] data, int batchSize, int steps, int channels, long[] labels) {

    public float get(int b, int t, int c) {
        return data[(b * steps + t) * channels + c];
    }
}
