package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import spsn.data.CompactRows;
import spsn.io.HostFloats;
import spsn.neuron.BackwardTape;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * Each sample's mean over its T steps of hidden activity held as distinct rows (CompactRows):
 * (sum of its non-empty rows + its number of empty bins x the empty row, the last) / T, in one
 * Java pass each way, joined to autograd as a {@link BackwardTape} step. The engine's way splits
 * the rows per sample and sums each piece, two small operations per sample each way; backward
 * here, every row of sample b gets dL/dmean_b / T and the empty row the sum of them weighted by
 * the empty bins. CPU only.
 */
final class CompactMean implements BackwardTape.Step {

    private final NDArray hidden;
    private final NDArray mean;
    private final CompactRows rows;
    /** first[b]..first[b+1] are sample b's rows. */
    private final int[] first;

    private CompactMean(NDArray hidden, NDArray mean, CompactRows rows, int[] first) {
        this.hidden = hidden;
        this.mean = mean;
        this.rows = rows;
        this.first = first;
    }

    /** The means [B, H] of {@code hidden} [rows, H]; in the graph through {@code tape} when recording. */
    static NDArray of(NDArray hidden, CompactRows rows, BackwardTape tape) {
        if (!HostFloats.onHost(hidden.getDevice())) {
            throw new IllegalStateException("the Java compact mean runs on the CPU only; use the engine's");
        }
        int batch = rows.batchSize();
        int width = Math.toIntExact(hidden.getShape().get(1));
        int emptyRow = Math.toIntExact(hidden.getShape().get(0)) - 1;
        int[] first = firstRows(rows);
        float scale = 1f / rows.steps();
        NDManager scope = hidden.getManager();
        NDArray mean = scope.create(new Shape(batch, width), DataType.FLOAT32);
        FloatBuffer in = HostFloats.view(hidden);
        FloatBuffer out = HostFloats.view(mean);
        float[] empty = new float[width];
        in.get(emptyRow * width, empty, 0, width);
        IntStream.range(0, batch).parallel().forEach(b -> {
            double[] sums = new double[width];
            float[] row = new float[width];
            for (int r = first[b]; r < first[b + 1]; r++) {
                in.get(r * width, row, 0, width);
                for (int h = 0; h < width; h++) {
                    sums[h] += row[h];
                }
            }
            int emptyBins = rows.emptyBins(b);
            for (int h = 0; h < width; h++) {
                row[h] = (float) (sums[h] + (double) emptyBins * empty[h]) * scale;
            }
            out.put(b * width, row, 0, width);
        });
        if (!BackwardTape.recording()) {
            return mean;
        }
        mean.setRequiresGradient(true);
        // own handles: the caller may close hidden and the returned view
        tape.add(new CompactMean(hidden.reshape(hidden.getShape()), mean, rows, first));
        return mean.reshape(mean.getShape());
    }

    /** first[b]..first[b+1] are sample b's rows. */
    private static int[] firstRows(CompactRows rows) {
        int[] first = new int[rows.batchSize() + 1];
        for (int b = 0; b < rows.batchSize(); b++) {
            first[b + 1] = first[b] + rows.rowsPerSample()[b];
        }
        return first;
    }

    @Override
    public void backward(GradientCollector collector) {
        NDArray gradient = BackwardTape.gradientOf(mean);
        if (gradient == null) {
            return;
        }
        int batch = rows.batchSize();
        int width = Math.toIntExact(hidden.getShape().get(1));
        int emptyRow = Math.toIntExact(hidden.getShape().get(0)) - 1;
        float scale = 1f / rows.steps();
        float[] perSample = gradient.toFloatArray();
        gradient.close();
        NDManager scope = mean.getManager();
        try (NDArray byHidden = scope.create(hidden.getShape(), DataType.FLOAT32)) {
            FloatBuffer out = HostFloats.view(byHidden);
            IntStream.range(0, batch).parallel().forEach(b -> {
                float[] row = new float[width];
                for (int h = 0; h < width; h++) {
                    row[h] = perSample[b * width + h] * scale;
                }
                for (int r = first[b]; r < first[b + 1]; r++) {
                    out.put(r * width, row, 0, width);
                }
            });
            float[] byEmpty = new float[width];
            for (int h = 0; h < width; h++) {
                double sum = 0;
                for (int b = 0; b < batch; b++) {
                    sum += (double) rows.emptyBins(b) * perSample[b * width + h];
                }
                byEmpty[h] = (float) sum * scale;
            }
            out.put(emptyRow * width, byEmpty, 0, width);
            BackwardTape.backward(hidden, byHidden);
        }
    }
}
