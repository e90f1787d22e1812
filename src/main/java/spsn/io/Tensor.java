package spsn.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense float32 tensor in row-major (C) order, as stored in a PyTorch state_dict.
 *
 * <p>The shape is copied on the way in and out, so it cannot change under a holder; the data
 * array is shared (not copied) because weight matrices are large, so callers must not modify
 * it after handing it over.
 *
 * @param shape size of each dimension (empty for a scalar), each &ge; 0
 * @param data the {@code numel} values, last dimension varying fastest
 */
public record Tensor(long[] shape, float[] data) {

    public Tensor {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        shape = shape.clone();
        long numel = numelOf(shape);
        if (numel != data.length) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape)
                    + " needs " + numel + " values but got " + data.length);
        }
    }

    /** A tensor holding {@code data} (not copied) with the given shape. */
    public static Tensor of(float[] data, long... shape) {
        return new Tensor(shape, data);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of values: the product of the shape (1 for a scalar). */
    public long numel() {
        return data.length;
    }

    /**
     * Product of {@code shape}; rejects negative sizes and products too large for a Java array.
     */
    static long numelOf(long[] shape) {
        long numel = 1;
        for (long size : shape) {
            if (size < 0) {
                throw new IllegalArgumentException("negative size in shape " + Arrays.toString(shape));
            }
            numel = Math.multiplyExact(numel, size);
            if (numel > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape)
                        + " has too many values for one Java array");
            }
        }
        return numel;
    }

    /** Equal when shapes match and values match bit for bit ({@code -0.0f != 0.0f}). */
    @Override
    public boolean equals(Object other) {
        return other instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
