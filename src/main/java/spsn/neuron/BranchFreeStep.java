package spsn.neuron;

/**
 * The step [x &gt; 0] as 1 or 0 in float arithmetic alone, for the Java spike loops: x times 2^200
 * is 0 or beyond 1 unless x is 0 (the smallest positive float is 2^-149), so clamping it to [0, 1]
 * gives the step. The JIT compiles a loop of these to vector instructions; a compare-and-select or
 * a sign bit taken as an int keeps the loop scalar, and a branch is mispredicted for about half
 * of the elements of a random spike train.
 */
public final class BranchFreeStep {

    /** 2^200 as two factors (it is beyond float's range). */
    private static final float GAIN = 0x1p100f;

    private BranchFreeStep() {
    }

    /** 1 where {@code x} &gt; 0, 0 where x &le; 0 (either zero), NaN for NaN. */
    public static float of(float x) {
        return Math.min(Math.max(x * GAIN * GAIN, 0f), 1f);
    }
}
