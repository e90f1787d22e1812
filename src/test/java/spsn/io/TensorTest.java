package spsn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void constructorChecksThatDataFitsTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new float[5], 2, 3));
        assertEquals("tensor of shape [2, 3] needs 6 values but got 5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[0], -1));
    }

    @Test
    void scalarAndEmptyShapes() {
        assertEquals(1, Tensor.of(new float[] {2f}).numel());
        assertEquals(0, Tensor.of(new float[0], 0, 3).numel());
        assertEquals(6, Tensor.of(new float[6], 2, 3).numel());
    }

    @Test
    void shapeCannotBeChangedFromOutside() {
        long[] shape = {2, 2};
        Tensor tensor = Tensor.of(new float[4], shape);
        shape[0] = 1;
        tensor.shape()[1] = 7;
        assertArrayEquals(new long[] {2, 2}, tensor.shape());
    }

    @Test
    void equalityIsByShapeAndExactBits() {
        Tensor a = Tensor.of(new float[] {1f, 0f}, 2);
        assertEquals(a, Tensor.of(new float[] {1f, 0f}, 2));
        assertEquals(a.hashCode(), Tensor.of(new float[] {1f, 0f}, 2).hashCode());
        assertNotEquals(a, Tensor.of(new float[] {1f, -0f}, 2));
        assertNotEquals(a, Tensor.of(new float[] {1f, 0f}, 1, 2));
    }
}
