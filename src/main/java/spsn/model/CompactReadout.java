package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import spsn.data.CompactRows;
import spsn.neuron.BackwardTape;
import spsn.neuron.Scalars;
import spsn.neuron.TempArrays;

import java.util.Arrays;

/**
 * Readout of hidden activity computed on a batch's distinct rows only ({@link CompactRows}), for
 * an output layer without memory (step t from input t alone). Sample b's mean over its T steps is
 * (sum of its non-empty rows + its number of empty bins x the empty row) / T; the full output
 * expands the rows back to every bin.
 */
final class CompactReadout implements Readout {

    private final OutputLayer layer;
    private final NDArray hidden;
    private final CompactRows rows;
    /** Where the mean over time goes as a Java step (CompactMean), or null for the engine's way. */
    private final BackwardTape tape;

    /**
     * {@code hidden}: [rows, H], row r from row r of {@code rows}; {@code tape}: see
     * {@link #meanOverTime()}.
     */
    CompactReadout(OutputLayer layer, NDArray hidden, CompactRows rows, BackwardTape tape) {
        if (!Arrays.equals(layer.impulseResponse(2), new double[] {1, 0})) {
            throw new IllegalArgumentException("a compact readout needs an output layer without memory");
        }
        this.layer = layer;
        this.hidden = hidden;
        this.rows = rows;
        this.tape = tape;
    }

    @Override
    public NDArray output() {
        int batch = rows.batchSize();
        try (TempArrays tmp = new TempArrays()) {
            NDArray perRow = tmp.add(layer.dense().apply(hidden));
            NDArray perBin = tmp.add(perRow.get(new NDIndex("{}", keptIndices(rows.rowOf()))));
            return perBin.reshape(batch, rows.steps(), perRow.getShape().get(1));
        }
    }

    @Override
    public NDArray meanOverTime() {
        if (tape != null) {
            try (NDArray mean = CompactMean.of(hidden, rows, tape)) {
                return Linear.linear(mean, layer.dense().weight(), layer.dense().bias()).singletonOrThrow();
            }
        }
        int batch = rows.batchSize();
        long[] ends = new long[batch];
        float[] emptyBins = new float[batch];
        long end = 0;
        for (int b = 0; b < batch; b++) {
            end += rows.rowsPerSample()[b];
            ends[b] = end;
            emptyBins[b] = rows.emptyBins(b);
        }
        NDManager scope = hidden.getManager();
        try (TempArrays tmp = new TempArrays()) {
            // one piece per sample, then the empty row; the gradient of a split is one concatenation
            NDList pieces = hidden.split(ends, 0);
            pieces.forEach(tmp::add);
            NDList sums = new NDList(batch);
            for (int b = 0; b < batch; b++) {
                sums.add(tmp.add(pieces.get(b).sum(new int[] {0})));
            }
            NDArray nonEmpty = tmp.add(NDArrays.stack(sums));
            // kept open with the batch: made from Java data, autograd needs it for the gradient
            NDArray counts = scope.create(emptyBins, new Shape(batch, 1));
            NDArray empty = tmp.add(counts.mul(pieces.get(batch)));
            NDArray mean = tmp.add(Scalars.times(tmp.add(nonEmpty.add(empty)), 1f / rows.steps()));
            return Linear.linear(mean, layer.dense().weight(), layer.dense().bias()).singletonOrThrow();
        }
    }

    @Override
    public NDArray lastStep() {
        int batch = rows.batchSize();
        int[] last = new int[batch];
        for (int b = 0; b < batch; b++) {
            last[b] = rows.rowOf()[b * rows.steps() + rows.steps() - 1];
        }
        try (NDArray picked = hidden.get(new NDIndex("{}", keptIndices(last)))) {
            return Linear.linear(picked, layer.dense().weight(), layer.dense().bias()).singletonOrThrow();
        }
    }

    /** Row indices as an int64 array of the batch scope (made from Java data: not closed early). */
    private NDArray keptIndices(int[] indices) {
        return hidden.getManager().create(Arrays.stream(indices).asLongStream().toArray());
    }
}
