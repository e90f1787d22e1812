package spsn.neuron;

import java.util.stream.IntStream;

/**
 * The split that the Java recurrences ({@link LeakyRecurrence}, {@link LifRecurrence}) share:
 * K = B*H columns of time-first memory [T, K] cut into blocks of {@link #BLOCK} that Java threads
 * run in parallel, and per-neuron factors (arrays of H, column k being neuron k % H) or one for all
 * (arrays of 1) spread over a block's columns and folded back. Every column is computed the same
 * way whatever the split, so results do not depend on the machine.
 */
final class ColumnBlocks {

    /**
     * Columns per task: 2 KiB per step and block, a multiple of any SIMD width. A block reads each
     * step's slice of a row that is B*H floats long, so a step's slices lie a row apart: slices of
     * half a page and more keep the hardware prefetcher streaming, where 512-byte ones left the
     * recurrences at about half that speed; and an SHD batch (64 x 128 columns) still makes 16
     * blocks for the cores.
     */
    static final int BLOCK = 512;

    /** One block's work: columns {@code first} to {@code first + width - 1}. */
    interface Body {
        void run(int first, int width);
    }

    private final int columns;
    private final int neurons;

    /** {@code columns} whole rows of {@code neurons}; each factor array holds 1 or {@code neurons} values. */
    ColumnBlocks(int columns, int neurons, float[]... factors) {
        for (float[] f : factors) {
            if (f.length != 1 && f.length != neurons) {
                throw new IllegalArgumentException(f.length + " factors for " + neurons + " neurons");
            }
        }
        if (columns % neurons != 0) {
            throw new IllegalArgumentException(columns + " columns are not whole rows of " + neurons + " neurons");
        }
        this.columns = columns;
        this.neurons = neurons;
    }

    int columns() {
        return columns;
    }

    /** Runs {@code body} on every block, in parallel. */
    void forEach(Body body) {
        IntStream.range(0, (columns + BLOCK - 1) / BLOCK).parallel().forEach(block -> {
            int first = block * BLOCK;
            body.run(first, Math.min(BLOCK, columns - first));
        });
    }

    /** The block's factors, column by column. */
    float[] perColumn(float[] factors, int first, int width) {
        float[] out = new float[width];
        for (int j = 0; j < width; j++) {
            out[j] = factors.length == 1 ? factors[0] : factors[(first + j) % neurons];
        }
        return out;
    }

    /** 1 - beta, column by column (the membrane's input weight). */
    static float[] complement(float[] beta) {
        float[] out = new float[beta.length];
        for (int j = 0; j < beta.length; j++) {
            out[j] = 1f - beta[j];
        }
        return out;
    }

    /** Column sums folded onto {@code size} neurons (1: everything), in a fixed order. */
    float[] reduce(double[] perColumn, int size) {
        double[] sums = new double[size];
        for (int k = 0; k < columns; k++) {
            sums[size == 1 ? 0 : k % neurons] += perColumn[k];
        }
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = (float) sums[i];
        }
        return out;
    }
}
