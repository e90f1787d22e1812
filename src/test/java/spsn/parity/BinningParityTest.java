package spsn.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;
import spsn.EngineTest;
import spsn.data.BinningRule;
import spsn.data.Float16;
import spsn.data.TimeDtype;

/**
 * Every one of the 31,744 finite non-negative float16 times binned as numpy bins them
 * (reference/float16_bins.npz, written by tools/reference/make_shd_reference.py): numpy's
 * quotient t/1e-3 in float16, the SPSN original's ceil and ParaLIF's floor, -1 where the
 * quotient overflows to infinity.
 */
class BinningParityTest extends EngineTest {

    @Test
    void everyFloat16TimeAsNumpy() {
        try (Fixture fx = Fixture.load(manager, "float16_bins.npz")) {
            assertEquals(DataType.FLOAT16, fx.raw("quotient").getDataType());
            float[] quotient = fx.raw("quotient").toType(DataType.FLOAT32, false).toFloatArray();
            int[] ceil = fx.raw("bin_ceil").toIntArray();
            int[] floor = fx.raw("bin_floor").toIntArray();
            assertEquals(31_744, quotient.length);
            BinningRule spsn = BinningRule.SPSN;
            BinningRule paralif = BinningRule.paralif(fx.scalar("window"));
            int float32Differs = 0;
            for (int bits = 0; bits < quotient.length; bits++) {
                float t = Float16.toFloat((short) bits);
                String what = "t = " + t + " (0x" + Integer.toHexString(bits) + ")";
                assertEquals(quotient[bits], spsn.quotient(t, TimeDtype.FLOAT16), what + ": quotient");
                assertEquals(ceil[bits], spsn.bin(t, TimeDtype.FLOAT16), what + ": ceil bin");
                assertEquals(floor[bits], paralif.bin(t, TimeDtype.FLOAT16), what + ": floor bin");
                assertEquals(ceil[bits] < 0, Float.isInfinite(quotient[bits]), what + ": overflow");
                if (ceil[bits] >= 0 && spsn.bin(t, TimeDtype.FLOAT32) != ceil[bits]) {
                    float32Differs++;
                }
            }
            // Why the dtype matters: float32 arithmetic bins a third of the finite values elsewhere.
            assertTrue(float32Differs > 7000, "float32 rule differs for " + float32Differs + " values");
        }
    }
}
