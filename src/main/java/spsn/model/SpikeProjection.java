package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.training.GradientCollector;
import spsn.data.SpikeRows;
import spsn.io.HostFloats;
import spsn.neuron.BackwardTape;
import spsn.neuron.TempArrays;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * The first layer's linear map on a spike list, computed by Java threads on the CPU. Its input is
 * binary and ~1% dense: each row of the current is the bias plus the weight columns of that row's
 * spikes, a few additions per spike. The engine's sparse product does the same work single-threaded
 * after sorting the indices, forward and again backward (~170 ms per SHD batch against ~40 here).
 *
 * <p>Autograd sees the current as a leaf. After the backward pass, {@link #backward} forms the
 * layer's gradients from the current's, dW[:, c] = sum of dL/dcurrent[r] over the spikes (r, c) and
 * db = sum over rows, and hands them to autograd by a second backward pass of
 * sum(W * dW) + sum(b * db), whose gradient is exactly (dW, db).
 */
final class SpikeProjection implements BackwardTape.Step {

    /** Rows per parallel task of the forward pass. */
    private static final int BLOCK_ROWS = 256;
    /** Row ranges of the gradient, each summed on its own then in order: the same sums on any machine. */
    private static final int PARTS = 8;

    private final Dense dense;
    private final SpikeRows rows;
    private final NDArray current;

    private SpikeProjection(Dense dense, SpikeRows rows, NDArray current) {
        this.dense = dense;
        this.rows = rows;
        this.current = current;
    }

    /** The current [rows, out] for {@code rows}, row r from the spikes of row r. */
    static SpikeProjection forward(Dense dense, SpikeRows rows, NDManager scope) {
        if (!HostFloats.onHost(scope.getDevice())) {
            throw new IllegalStateException("the Java first layer runs on the CPU only; use the engine's sparse product");
        }
        int out = (int) dense.weight().getShape().get(0);
        int in = (int) dense.weight().getShape().get(1);
        if (rows.channels() != in) {
            throw new IllegalArgumentException("spike rows have " + rows.channels() + " channels, the layer " + in
                    + " inputs");
        }
        float[][] columns = columns(dense.weight().toFloatArray(), out, in);
        float[] bias = dense.bias().toFloatArray();
        NDArray current = scope.create(new Shape(rows.rows(), out), DataType.FLOAT32);
        FloatBuffer target = ((PtNDArray) current).toByteBuffer(true).asFloatBuffer();
        int blocks = (rows.rows() + BLOCK_ROWS - 1) / BLOCK_ROWS;
        IntStream.range(0, blocks).parallel().forEach(block -> {
            int first = block * BLOCK_ROWS;
            int count = Math.min(BLOCK_ROWS, rows.rows() - first);
            float[] values = blockBuffer(count * out);
            float[] sum = new float[out];
            for (int r = 0; r < count; r++) {
                System.arraycopy(bias, 0, sum, 0, out);
                for (int k = rows.rowStart()[first + r]; k < rows.rowStart()[first + r + 1]; k++) {
                    addTo(sum, columns[rows.channel()[k]]);
                }
                System.arraycopy(sum, 0, values, r * out, out);
            }
            target.put(first * out, values, 0, count * out);
        });
        current.setRequiresGradient(true);
        return new SpikeProjection(dense, rows, current);
    }

    /** One block of output rows per thread, reused from batch to batch (no garbage per batch). */
    private static final ThreadLocal<float[]> BLOCKS = ThreadLocal.withInitial(() -> new float[0]);

    private static float[] blockBuffer(int size) {
        float[] buffer = BLOCKS.get();
        if (buffer.length < size) {
            buffer = new float[size];
            BLOCKS.set(buffer);
        }
        return buffer;
    }

    /** The first layer's input current, [rows, out], an autograd leaf. */
    NDArray current() {
        return current;
    }

    /** After {@code collector.backward(loss)}: adds this layer's weight and bias gradients. */
    @Override
    public void backward(GradientCollector collector) {
        int out = (int) dense.weight().getShape().get(0);
        int in = (int) dense.weight().getShape().get(1);
        float[][][] weightParts = new float[PARTS][in][out];
        float[][] biasParts = new float[PARTS][out];
        try (NDArray gradient = current.getGradient()) {
            FloatBuffer source = ((PtNDArray) gradient).toByteBuffer(true).asFloatBuffer();
            IntStream.range(0, PARTS).parallel().forEach(part -> {
                float[][] columns = weightParts[part];
                float[] bias = biasParts[part];
                float[] row = new float[out];
                int end = (int) ((long) rows.rows() * (part + 1) / PARTS);
                for (int r = (int) ((long) rows.rows() * part / PARTS); r < end; r++) {
                    source.get(r * out, row);
                    addTo(bias, row);
                    for (int k = rows.rowStart()[r]; k < rows.rowStart()[r + 1]; k++) {
                        addTo(columns[rows.channel()[k]], row);
                    }
                }
            });
        }
        for (int part = 1; part < PARTS; part++) {
            for (int c = 0; c < in; c++) {
                addTo(weightParts[0][c], weightParts[part][c]);
            }
            addTo(biasParts[0], biasParts[part]);
        }
        float[] weightSums = new float[out * in];
        for (int c = 0; c < in; c++) {
            for (int o = 0; o < out; o++) {
                weightSums[o * in + c] = weightParts[0][c][o];
            }
        }
        NDManager scope = current.getManager();
        // made from Java arrays: kept referenced (not closed early) until the backward has used them
        NDArray weightGradient = scope.create(weightSums, dense.weight().getShape());
        NDArray biasGradient = scope.create(biasParts[0]);
        try (TempArrays tmp = new TempArrays()) {
            NDArray weightTerm = tmp.add(tmp.add(dense.weight().mul(weightGradient)).sum());
            NDArray biasTerm = tmp.add(tmp.add(dense.bias().mul(biasGradient)).sum());
            collector.backward(tmp.add(weightTerm.add(biasTerm)));
        }
    }

    /**
     * {@code into += values}, element by element. Same index on both sides, so that the JIT
     * vectorises it (with two offsets into one array it cannot rule out overlap, ~3x slower).
     */
    private static void addTo(float[] into, float[] values) {
        for (int i = 0; i < into.length; i++) {
            into[i] += values[i];
        }
    }

    /** The columns of a row-major [rows, cols] matrix, each as an array. */
    private static float[][] columns(float[] matrix, int rows, int cols) {
        float[][] columns = new float[cols][rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                columns[c][r] = matrix[r * cols + c];
            }
        }
        return columns;
    }
}
