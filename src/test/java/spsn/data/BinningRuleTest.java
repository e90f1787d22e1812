package spsn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The arithmetic per dtype; every float16 value is checked against numpy in spsn.parity.BinningParityTest. */
class BinningRuleTest {

    private static final BinningRule CEIL = BinningRule.SPSN;
    private static final BinningRule FLOOR = BinningRule.paralif(1e-3);

    @Test
    void float32EdgeCasesOfTheReference() {
        assertEquals(0, CEIL.bin(0f, TimeDtype.FLOAT32));
        assertEquals(0, CEIL.bin(-0f, TimeDtype.FLOAT32));
        assertEquals(1, CEIL.bin(0.001f, TimeDtype.FLOAT32));
        assertEquals(2, CEIL.bin(0.0010001f, TimeDtype.FLOAT32));
        assertEquals(1, CEIL.bin(Float.MIN_VALUE, TimeDtype.FLOAT32));
        assertEquals(2, CEIL.bin(0.0015f, TimeDtype.FLOAT32));
        assertEquals(1, FLOOR.bin(0.0015f, TimeDtype.FLOAT32));
        assertEquals(0, FLOOR.bin(0.0009f, TimeDtype.FLOAT32));
    }

    /** numpy: ceil(float32(k/1000) / float32(0.001)) == k for every k in 0..2000; float64 is not. */
    @Test
    void exactMultiplesOfTheWindowStayInTheirBinInFloat32() {
        int float64Differs = 0;
        for (int k = 0; k <= 2000; k++) {
            float t = (float) (k / 1000.0);
            assertEquals(k, CEIL.bin(t, TimeDtype.FLOAT32), "t = " + t);
            float64Differs += CEIL.bin(t, TimeDtype.FLOAT64) != k ? 1 : 0;
        }
        assertTrue(float64Differs > 500, "float64 division of float32 times differs for many: " + float64Differs);
        assertEquals(1000, CEIL.bin(1.0, TimeDtype.FLOAT64));
        assertEquals(1001, CEIL.bin(1.0000000001, TimeDtype.FLOAT64));
    }

    /** A float division is the float rounding of the exact (double) quotient. */
    @Test
    void float32IsCorrectlyRoundedFloatDivision() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            float t = (float) rng.nextDouble(0, 1.5);
            long expected = (long) Math.ceil((float) ((double) t / (double) 0.001f));
            assertEquals(expected, CEIL.bin(t, TimeDtype.FLOAT32), "t = " + t);
        }
    }

    /** float16: window 0.0010004043579101562, float32 quotient rounded to float16. */
    @Test
    void float16ArithmeticAsNumpy() {
        assertEquals(0.0010004043579101562, CEIL.window(TimeDtype.FLOAT16));
        float t = Float16.round(0.001f); // the stored 1 ms: 0.0010004 / 0.0010004 = 1
        assertEquals(1, CEIL.bin(t, TimeDtype.FLOAT16));
        assertEquals(2, CEIL.bin(t, TimeDtype.FLOAT32), "the float32 rule puts it one bin later");
        float late = Float16.round(0.9f); // 0.8999: q = 899.55 in float32, 899.5 in float16
        assertEquals(899.5, CEIL.quotient(late, TimeDtype.FLOAT16));
        assertEquals(900, CEIL.bin(late, TimeDtype.FLOAT16));
        assertEquals(899, FLOOR.bin(late, TimeDtype.FLOAT16));
    }

    @Test
    void float16QuotientOverflowsFrom65Point5625Seconds() {
        assertEquals(65472.0, CEIL.quotient(65.5, TimeDtype.FLOAT16));
        assertEquals(Double.POSITIVE_INFINITY, CEIL.quotient(65.5625, TimeDtype.FLOAT16));
        assertEquals(-1, CEIL.bin(65.5625, TimeDtype.FLOAT16));
        assertEquals(-1, FLOOR.bin(65.5625, TimeDtype.FLOAT16));
        assertEquals(65563, CEIL.bin(65.5625, TimeDtype.FLOAT32), "float32 does not overflow there");
    }

    @Test
    void otherWindowsAndRejectedRules() {
        BinningRule tenMs = BinningRule.paralif(0.01);
        assertEquals(12, tenMs.bin(0.125, TimeDtype.FLOAT16));
        assertEquals(BinningRule.Rounding.FLOOR, tenMs.rounding());
        assertThrows(IllegalArgumentException.class, () -> new BinningRule(BinningRule.Rounding.CEIL, 0));
        assertThrows(IllegalArgumentException.class, () -> BinningRule.paralif(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> BinningRule.paralif(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new BinningRule(null, 1e-3));
    }
}
