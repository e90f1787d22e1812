package spsn.data;

/**
 * IEEE 754 half precision (numpy's float16), which Java 17 lacks ({@code Float.floatToFloat16}
 * arrived in Java 20). The real SHD and SSC files store spike times as float16, and numpy does
 * float16 arithmetic by computing in float32 and rounding the result to float16 (see {@link
 * BinningRule}). The rounding here is IEEE's: to nearest, ties to even, with subnormals (steps of
 * 2^-24 below 2^-14) and overflow to infinity from 65520 on (65504 is the largest finite value).
 */
public final class Float16 {

    /** Largest finite float16 value. */
    public static final float MAX_VALUE = 65504f;

    private static final int DROPPED = 52 - 10; // mantissa bits of a double that float16 has not

    private Float16() {
    }

    /** The float16 value nearest to {@code x} (ties to even), as a float (every float16 is one). */
    public static float round(float x) {
        return toFloat(fromDouble(x));
    }

    /**
     * The float16 value nearest to {@code x}, rounded once from the double (as numpy converts a
     * Python float: rounding through float32 first could round twice).
     */
    public static float round(double x) {
        return toFloat(fromDouble(x));
    }

    /** The float16 bit pattern nearest to {@code x}: ties to even; NaN stays a (quiet) NaN. */
    public static short fromDouble(double x) {
        long bits = Double.doubleToRawLongBits(x);
        int sign = (int) (bits >>> 48) & 0x8000;
        long abs = bits & 0x7fff_ffff_ffff_ffffL;
        int exponent = (int) (abs >>> 52) - 1023;
        long mantissa = abs & ((1L << 52) - 1);
        if (exponent == 1024) { // infinity or NaN
            return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
        }
        if (exponent >= 16) { // 2^16 and beyond: past 65520, infinity
            return (short) (sign | 0x7c00);
        }
        if (exponent >= -14) { // normal float16: keep 10 mantissa bits
            int half = ((exponent + 15) << 10) | (int) (mantissa >>> DROPPED);
            // A carry out of the mantissa raises the exponent, up to 0x7c00 = infinity: right.
            return (short) (sign | roundToEven(half, mantissa & ((1L << DROPPED) - 1), 1L << (DROPPED - 1)));
        }
        if (exponent < -25) { // below half the smallest subnormal (2^-25): zero
            return (short) sign;
        }
        // Subnormal float16, m · 2^-24 with m < 1024: the value is (2^52 + mantissa) · 2^(exponent - 52).
        long significand = mantissa | (1L << 52);
        int shift = 28 - exponent; // 43..53
        int m = (int) (significand >>> shift);
        // Rounding up to 1024 gives the smallest normal's pattern: right.
        return (short) (sign | roundToEven(m, significand & ((1L << shift) - 1), 1L << (shift - 1)));
    }

    private static int roundToEven(int kept, long rest, long halfway) {
        return rest > halfway || (rest == halfway && (kept & 1) == 1) ? kept + 1 : kept;
    }

    /** The value of a float16 bit pattern (exact). */
    public static float toFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f80_0000 | (mantissa << 13));
        }
        if (exponent == 0) { // zero or subnormal: mantissa · 2^-24, exact in float
            return Float.intBitsToFloat(sign | Float.floatToRawIntBits(mantissa * 0x1p-24f));
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }
}
