package spsn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import spsn.data.SparseBatch;

import java.util.Arrays;

/** Turns an assembled batch into engine tensors. */
public final class BatchTensors {

    private BatchTensors() {
    }

    /**
     * The spikes as a COO matrix [B*T, channels]; repeated (row, channel) entries add up, like
     * several spikes of one unit in one bin.
     */
    public static NDArray sparseInput(NDManager scope, SparseBatch batch) {
        int spikes = batch.spikeCount();
        long[] rows = new long[spikes];
        long[] columns = new long[spikes];
        for (int i = 0; i < spikes; i++) {
            int flat = batch.flatIndex()[i];
            rows[i] = flat / batch.channels();
            columns[i] = flat % batch.channels();
        }
        float[] ones = new float[spikes];
        Arrays.fill(ones, 1f);
        Shape shape = new Shape((long) batch.batchSize() * batch.steps(), batch.channels());
        // Not NDManager.createCoo: it closes its index and value arrays right away, while the
        // sparse tensor still points into their memory (seen as garbage indices after a GC).
        // Here both stay open in the batch scope, as long as the sparse tensor itself.
        NDArray values = scope.create(ones);
        NDArray indices = scope.create(new long[][] {rows, columns});
        return JniUtils.createSparseCoo((PtNDArray) indices, (PtNDArray) values, shape);
    }

    public static NDArray labels(NDManager scope, SparseBatch batch) {
        return scope.create(batch.labels());
    }
}
