package spsn.neuron;

import ai.djl.ndarray.NDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * Closes intermediate results as soon as an expression is done with them. A batch scope would
 * free them too, but only at the end of the batch: until then every temporary of every layer
 * stays resident (~40 MB each at SHD size). Autograd keeps its own references to what the
 * backward pass needs, so closing our handles early is safe for tensors the engine allocated.
 * Never register arrays made from Java data (see {@link Scalars}).
 */
public final class TempArrays implements AutoCloseable {

    private final List<NDArray> arrays = new ArrayList<>();

    /** Registers {@code array} to be closed with this scope and returns it. */
    public NDArray add(NDArray array) {
        arrays.add(array);
        return array;
    }

    @Override
    public void close() {
        for (NDArray array : arrays) {
            array.close();
        }
        arrays.clear();
    }
}
