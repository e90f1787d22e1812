package spsn.neuron;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BranchFreeStepTest {

    @Test
    void isTheComparisonWithZeroOverTheWholeFloatRange() {
        float[] edges = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL,
            Math.nextDown(1f), 1f, 0.5f, -0.5f, Float.MAX_VALUE, -Float.MAX_VALUE,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (float x : edges) {
            assertStep(x);
        }
        Random random = new Random(3);
        for (int i = 0; i < 1_000_000; i++) {
            assertStep(Float.intBitsToFloat(random.nextInt())); // every exponent, both signs
        }
    }

    @Test
    void zeroOfEitherSignGivesPositiveZeroAndNaNStaysNaN() {
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(BranchFreeStep.of(-0f)));
        assertTrue(Float.isNaN(BranchFreeStep.of(Float.NaN)));
    }

    private static void assertStep(float x) {
        if (!Float.isNaN(x)) {
            assertEquals(x > 0 ? 1f : 0f, BranchFreeStep.of(x), "step of " + x);
        }
    }
}
