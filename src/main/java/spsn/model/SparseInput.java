package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import spsn.data.SparseBatch;
import spsn.data.SpikeRows;
import spsn.io.HostFloats;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A batch's spikes as an engine tensor: sparse, the first layer's input off the CPU, or dense, the
 * plain path's.
 */
public final class SparseInput {

    private SparseInput() {
    }

    /**
     * The spikes as a COO matrix [rows, channels] with the rows of {@code spikes} (time first,
     * see SpikeRows and Network.forwardSparse). Repeated (row, channel) entries add up, like
     * several spikes of one unit in one bin.
     */
    public static NDArray coo(NDManager scope, SpikeRows spikes) {
        int count = spikes.spikeCount();
        long[] rows = new long[count];
        long[] columns = new long[count];
        for (int r = 0; r < spikes.rows(); r++) {
            for (int k = spikes.rowStart()[r]; k < spikes.rowStart()[r + 1]; k++) {
                rows[k] = r;
                columns[k] = spikes.channel()[k];
            }
        }
        float[] ones = new float[count];
        Arrays.fill(ones, 1f);
        Shape shape = new Shape(spikes.rows(), spikes.channels());
        // Not NDManager.createCoo: it closes its index and value arrays right away, while the
        // sparse tensor still points into their memory (seen as garbage indices after a GC).
        // Here both stay open in the batch scope, as long as the sparse tensor itself.
        NDArray values = scope.create(ones);
        NDArray indices = scope.create(new long[][] {rows, columns});
        return JniUtils.createSparseCoo((PtNDArray) indices, (PtNDArray) values, shape);
    }

    /**
     * The batch's spike counts as a dense tensor [B, T, channels] (see SparseBatch#toDense). On
     * the CPU the counts are written into memory the engine allocated: made from a Java array, the
     * tensor would live in a direct buffer that only a garbage collection frees (~200 MB at SHD
     * size, on top of the array itself on the Java heap).
     */
    public static NDArray dense(NDManager scope, SparseBatch batch) {
        Shape shape = new Shape(batch.batchSize(), batch.steps(), batch.channels());
        if (!HostFloats.onHost(scope.getDevice())) {
            return scope.create(batch.toDense(), shape);
        }
        NDArray dense = scope.zeros(shape, DataType.FLOAT32);
        FloatBuffer counts = HostFloats.view(dense);
        for (int i : batch.flatIndex()) {
            counts.put(i, counts.get(i) + 1f);
        }
        return dense;
    }

    /**
     * The same counts time first, [steps, B, channels], with zero steps after the batch's own
     * ({@code steps} &ge; its steps): the dense form transposed and padded at the end.
     */
    public static NDArray denseTimeMajor(NDManager scope, SparseBatch batch, int steps) {
        if (steps < batch.steps()) {
            throw new IllegalArgumentException(steps + " steps for a batch of " + batch.steps());
        }
        int batchSize = batch.batchSize();
        int channels = batch.channels();
        Shape shape = new Shape(steps, batchSize, channels);
        boolean onHost = HostFloats.onHost(scope.getDevice());
        NDArray onDevice = onHost ? scope.zeros(shape, DataType.FLOAT32) : null;
        FloatBuffer counts = onHost ? HostFloats.view(onDevice) : FloatBuffer.allocate(Math.toIntExact(shape.size()));
        for (int i : batch.flatIndex()) {
            int c = i % channels;
            int bt = i / channels; // b * batch.steps() + t
            int at = ((bt % batch.steps()) * batchSize + bt / batch.steps()) * channels + c;
            counts.put(at, counts.get(at) + 1f);
        }
        return onHost ? onDevice : scope.create(counts.array(), shape);
    }
}
