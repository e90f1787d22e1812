package spsn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BinningTest {

    @Test
    void edgeCasesOfTheReference() {
        assertEquals(0, Binning.bin(0f));
        assertEquals(0, Binning.bin(-0f));
        assertEquals(1, Binning.bin(0.001f));
        assertEquals(2, Binning.bin(0.0010001f));
        assertEquals(1, Binning.bin(Float.MIN_VALUE));
        assertEquals(2, Binning.bin(0.0015f));
    }

    /** numpy: ceil(float32(k/1000) / float32(0.001)) == k for every k in 0..2000 (and float64 is not). */
    @Test
    void exactMultiplesOfDtStayInTheirBin() {
        for (int k = 0; k <= 2000; k++) {
            float t = (float) (k / 1000.0);
            assertEquals(k, Binning.bin(t), "t = " + t);
        }
    }

    /** A float division equals the float rounding of the exact (double) quotient. */
    @Test
    void matchesCorrectlyRoundedFloatDivision() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            float t = (float) rng.nextDouble(0, 1.5);
            int expected = (int) Math.ceil((float) ((double) t / (double) Binning.DT));
            assertEquals(expected, Binning.bin(t), "t = " + t);
        }
    }
}
