package spsn.data;

/**
 * The same batch as {@link DenseBatch} given as a list of spikes: {@code flatIndex[i]} is the
 * dense position {@code (b * steps + t) * channels + c} of spike i. Duplicates are kept (each adds
 * 1 at its position), with the same start padding as the dense form.
 */
public record SparseBatch(int[] flatIndex, int batchSize, int steps, int channels, long[] labels) {

    public int spikeCount() {
        return flatIndex.length;
    }

    /** Dense form: the counts DenseBatch would hold. */
    public float[] toDense() {
        float[] data = new float[batchSize * steps * channels];
        for (int i : flatIndex) {
            data[i] += 1f;
        }
        return data;
    }
}
