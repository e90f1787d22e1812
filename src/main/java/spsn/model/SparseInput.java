package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import spsn.data.SpikeRows;

import java.util.Arrays;

/** A batch's spikes as an engine sparse tensor, the first layer's input off the CPU. */
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
}
