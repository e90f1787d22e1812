package spsn.neuron.spike;

import ai.djl.ndarray.NDArray;
import spsn.io.HostFloats;
import spsn.neuron.TinyGradients;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/** The element range of an array split into blocks that Java threads take in parallel. */
final class ElementBlocks {

    /** Elements per parallel task: large enough to amortise scheduling, small enough to balance. */
    static final int SIZE = 1 << 15;

    /** Scratch arrays of one block each, per thread (a kernel's block uses them and is done). */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][SIZE]);

    private ElementBlocks() {
    }

    /** This thread's scratch array {@code index} (0..3) of {@link #SIZE} floats, holding anything. */
    static float[] scratch(int index) {
        return SCRATCH.get()[index];
    }

    /** What runs on elements start..start+length of the array. */
    @FunctionalInterface
    interface Body {
        void apply(int start, int length);
    }

    /** What runs on block {@code block}, elements start..start+length of the array. */
    @FunctionalInterface
    interface IndexedBody {
        void apply(int block, int start, int length);
    }

    /** The number of blocks of an array of {@code size} elements. */
    static int count(int size) {
        return (size + SIZE - 1) / SIZE;
    }

    /**
     * out = gradient * factor, element by element, then the normaliser's derivative from the factor
     * as its output (identity: none), tiny values flushed (TinyGradients): the backward pass of a
     * spike step whose gradient is a product with one array it kept.
     */
    static void scaledGradient(NDArray gradient, NDArray factor, Normaliser normaliser, NDArray out) {
        FloatBuffer g = HostFloats.view(gradient);
        FloatBuffer factors = HostFloats.view(factor);
        FloatBuffer target = HostFloats.view(out);
        forEach(Math.toIntExact(out.getShape().size()), (start, length) -> {
            float[] values = scratch(0);
            float[] by = scratch(1);
            g.get(start, values, 0, length);
            factors.get(start, by, 0, length);
            for (int i = 0; i < length; i++) {
                values[i] = values[i] * by[i];
            }
            normaliser.backward(values, by, length);
            TinyGradients.flush(values, length, normaliser.zeroesGradients());
            target.put(start, values, 0, length);
        });
    }

    static void forEach(int size, Body body) {
        forEach(size, (block, start, length) -> body.apply(start, length));
    }

    /** The same, telling each block its index (for per-block partial results). */
    static void forEach(int size, IndexedBody body) {
        IntStream.range(0, count(size)).parallel().forEach(block -> {
            int start = block * SIZE;
            body.apply(block, start, Math.min(SIZE, size - start));
        });
    }
}
