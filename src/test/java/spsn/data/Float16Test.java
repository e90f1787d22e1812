package spsn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Float16Test {

    /** Every float16 bit pattern decodes to its value and encodes back to itself. */
    @Test
    void everyPatternRoundTrips() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float value = Float16.toFloat((short) bits);
            if (Float.isNaN(value)) {
                assertTrue((bits & 0x7c00) == 0x7c00 && (bits & 0x3ff) != 0, Integer.toHexString(bits));
                assertTrue(Float.isNaN(Float16.round(value)));
                continue;
            }
            assertEquals(bits, Float16.fromDouble(value) & 0xffff, "pattern 0x" + Integer.toHexString(bits));
            assertEquals(Float.floatToIntBits(value), Float.floatToIntBits(Float16.round(value)));
        }
    }

    @Test
    void knownValues() {
        assertEquals(0.0010004043579101562f, Float16.round(1e-3));
        assertEquals(65504f, Float16.toFloat((short) 0x7bff));
        assertEquals(0x1p-24f, Float16.toFloat((short) 1), "smallest subnormal");
        assertEquals(0x1p-14f, Float16.toFloat((short) 0x400), "smallest normal");
        assertEquals(Float.POSITIVE_INFINITY, Float16.round(65520f), "half-way above the largest: to infinity");
        assertEquals(65504f, Float16.round(65519.996f));
        assertEquals(Float.NEGATIVE_INFINITY, Float16.round(-1e6f));
        assertEquals(0f, Float16.round(0x1p-25f), "half the smallest subnormal: ties to even, 0");
        assertEquals(0x1p-24f, Float16.round(0x1.000002p-25f), "just above: the smallest subnormal");
        assertEquals(-0f, Float16.round(-1e-30f));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Float16.round(-1e-30f)));
        assertEquals(2048f, Float16.round(2049f), "tie between 2048 and 2050: to even");
        assertEquals(2052f, Float16.round(2051f), "tie between 2050 and 2052: to even");
    }

    /**
     * Against an independent rounding: the nearest of the two neighbouring float16 values (found
     * by search over the decoded patterns), ties to the even pattern; random floats of every
     * magnitude, the subnormal range and the midpoints themselves.
     */
    @Test
    void roundsToTheNearestValueTiesToEven() {
        SplittableRandom random = new SplittableRandom(16);
        for (int i = 0; i < 200_000; i++) {
            float x = switch (i % 3) {
                case 0 -> Float.intBitsToFloat(random.nextInt(0x4780_0000)); // 0 .. 65536
                case 1 -> (float) random.nextDouble(0, 0x1p-13); // subnormals and the first normals
                default -> midpoint(random.nextInt(0x7bff)); // exact ties
            };
            assertEquals(nearest(x), Float16.round(x), "x = " + x);
            assertEquals(-nearest(x), Float16.round(-x), "x = " + -x);
        }
    }

    private static float midpoint(int bits) {
        return (float) (((double) Float16.toFloat((short) bits) + Float16.toFloat((short) (bits + 1))) / 2);
    }

    /** Nearest float16 by bisection over the ordered non-negative patterns; beyond 65520: infinity. */
    private static float nearest(float x) {
        if (x >= 65520f) {
            return Float.POSITIVE_INFINITY;
        }
        int lo = 0;
        int hi = 0x7bff;
        while (lo < hi) { // largest pattern whose value is <= x
            int mid = (lo + hi + 1) >>> 1;
            if (Float16.toFloat((short) mid) <= x) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        if (lo == 0x7bff) { // 65504 <= x < 65520, nearer to 65504 than to the would-be 65536
            return 65504f;
        }
        double below = Float16.toFloat((short) lo);
        double above = Float16.toFloat((short) (lo + 1));
        double dBelow = x - below;
        double dAbove = above - x;
        if (dBelow != dAbove) {
            return (float) (dBelow < dAbove ? below : above);
        }
        return (float) ((lo & 1) == 0 ? below : above);
    }
}
