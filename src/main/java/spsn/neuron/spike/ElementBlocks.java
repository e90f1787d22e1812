package spsn.neuron.spike;

import java.util.stream.IntStream;

/** The element range of an array split into blocks that Java threads take in parallel. */
final class ElementBlocks {

    /** Elements per parallel task: large enough to amortise scheduling, small enough to balance. */
    static final int SIZE = 1 << 15;

    private ElementBlocks() {
    }

    /** What runs on elements start..start+length of the array. */
    @FunctionalInterface
    interface Body {
        void apply(int start, int length);
    }

    static void forEach(int size, Body body) {
        IntStream.range(0, (size + SIZE - 1) / SIZE).parallel().forEach(block -> {
            int start = block * SIZE;
            body.apply(start, Math.min(SIZE, size - start));
        });
    }
}
