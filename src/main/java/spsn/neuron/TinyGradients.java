package spsn.neuron;

/**
 * Gradient values below 2^-100 in magnitude set to zero where the Java steps write them. Such a
 * value cannot move a float32 parameter (Adamax divides by at least 1e-8, so it would change a
 * weight by about 2^-73 of the learning rate, far below a float's resolution), but products of it
 * soon fall below 2^-126, into the subnormal range, where x86 arithmetic takes a microcode assist
 * for every element: a recurrent layer's products with gradients that held a few percent of
 * them ran several times slower. A Bernoulli neuron of probability p passes dL/dspike * p^3
 * (1 - p) back, which is subnormal wherever the membrane is far below its threshold. The
 * engine's own path keeps them (it is the plain path the bench checks the Java one against).
 */
public final class TinyGradients {

    /** The exponent field of 2^-100: values with a smaller one are flushed. */
    private static final int SMALLEST_KEPT = (127 - 100) << 23;

    private TinyGradients() {
    }

    /**
     * values[i] for i &lt; length, those below 2^-100 in magnitude made (positive) zero;
     * {@code manyZeros}: whether many of them are zero already (behind relu's mask), which a
     * branch per element would mispredict.
     */
    public static void flush(float[] values, int length, boolean manyZeros) {
        if (manyZeros) {
            for (int i = 0; i < length; i++) {
                int bits = Float.floatToRawIntBits(values[i]);
                // all ones where the exponent is kept, else none
                int kept = ~(((bits & 0x7F800000) - SMALLEST_KEPT) >> 31);
                values[i] = Float.intBitsToFloat(bits & kept);
            }
            return;
        }
        for (int i = 0; i < length; i++) {
            // a branch that is rarely taken: cheaper than keeping the loop in floats
            if ((Float.floatToRawIntBits(values[i]) & 0x7F800000) < SMALLEST_KEPT) {
                values[i] = 0f;
            }
        }
    }
}
