package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import spsn.data.SparseBatch;

import java.util.Arrays;

/** A batch's spikes as an engine sparse tensor, the first layer's input off the CPU. */
public final class SparseInput {

    private SparseInput() {
    }

    /**
     * The spikes as a time-first COO matrix [paddedSteps*B, channels] whose row t*B+b holds step
     * t of sample b (see Network.forwardSparse; rows past the batch's steps stay empty). Repeated
     * (row, channel) entries add up, like several spikes of one unit in one bin.
     */
    public static NDArray coo(NDManager scope, SparseBatch batch, int paddedSteps) {
        if (paddedSteps < batch.steps()) {
            throw new IllegalArgumentException("padded length " + paddedSteps + " < " + batch.steps() + " steps");
        }
        int spikes = batch.spikeCount();
        long[] rows = new long[spikes];
        long[] columns = new long[spikes];
        int channels = batch.channels();
        for (int i = 0; i < spikes; i++) {
            int flat = batch.flatIndex()[i];
            int sampleStep = flat / channels; // b * steps + t
            int sample = sampleStep / batch.steps();
            int step = sampleStep % batch.steps();
            rows[i] = (long) step * batch.batchSize() + sample;
            columns[i] = flat % channels;
        }
        float[] ones = new float[spikes];
        Arrays.fill(ones, 1f);
        Shape shape = new Shape((long) paddedSteps * batch.batchSize(), channels);
        // Not NDManager.createCoo: it closes its index and value arrays right away, while the
        // sparse tensor still points into their memory (seen as garbage indices after a GC).
        // Here both stay open in the batch scope, as long as the sparse tensor itself.
        NDArray values = scope.create(ones);
        NDArray indices = scope.create(new long[][] {rows, columns});
        return JniUtils.createSparseCoo((PtNDArray) indices, (PtNDArray) values, shape);
    }
}
