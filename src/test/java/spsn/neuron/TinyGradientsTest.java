package spsn.neuron;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TinyGradientsTest {

    /** Both ways (a branch, or a mask where many values are zero) flush the same values, to +0. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void flushesExactlyTheValuesBelowTwoToTheMinus100(boolean manyZeros) {
        float edge = 0x1p-100f;
        float[] values = {edge, -edge, Math.nextDown(edge), -Math.nextDown(edge), Float.MIN_VALUE, -Float.MIN_NORMAL,
            0f, -0f, 1e-20f, -3.5f, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NaN};
        float[] expected = {edge, -edge, 0f, 0f, 0f, 0f, 0f, 0f, 1e-20f, -3.5f, Float.MAX_VALUE,
            Float.POSITIVE_INFINITY, Float.NaN};
        TinyGradients.flush(values, values.length - 1, manyZeros);
        for (int i = 0; i < values.length - 1; i++) {
            // bit for bit: a flushed value is +0
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(values[i]), "value " + i);
        }
        assertEquals(Float.NaN, values[values.length - 1], "past length: untouched");
    }
}
