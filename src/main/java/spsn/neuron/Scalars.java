package spsn.neuron;

import ai.djl.ndarray.NDArray;

/**
 * Scalar operands for differentiable products. DJL's {@code mul(Number)} and {@code div(Number)}
 * wrap the number in a tensor over Java-owned memory and close it right after the op, while
 * PyTorch's autograd keeps that tensor to compute the gradient. When the Java buffer is then
 * garbage-collected, the backward pass reads freed memory (seen as NaN gradients that come and go
 * with the heap size). A scalar made here lives in the manager of the array it multiplies, so it
 * outlives the backward pass of that batch.
 */
public final class Scalars {

    private Scalars() {
    }

    /** A 0-d float32 array holding {@code value}, owned by {@code like}'s manager. */
    public static NDArray of(NDArray like, float value) {
        return like.getManager().create(value);
    }

    /** {@code x * value}, safe to differentiate. */
    public static NDArray times(NDArray x, float value) {
        return x.mul(of(x, value));
    }
}
