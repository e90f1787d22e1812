package spsn.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Comparisons against the reference arrays, with messages that give the worst element. */
final class Tolerance {

    /** float32 forward values: error per element at most this times the array's largest |value|. */
    static final double FORWARD = 1e-5;
    /** float32 gradients through tens of steps and several layers. */
    static final double GRADIENT = 1e-4;
    /**
     * A one-value parameter's gradient (a layer's threshold): one sum over every step and neuron,
     * which cancels to a fraction of its terms, so the rounding of the products before it (the
     * engine's kernels differ with the machine's instruction set) shows more. Measured: ParaLIF's
     * LIF with a learnable threshold, 1.33e-4 on an AVX2 machine, under 1e-4 on AVX-512 ones.
     */
    static final double SCALAR_GRADIENT = 5e-4;

    /** -Dparity.report=true prints every comparison's worst error (to see the headroom). */
    private static final boolean REPORT = Boolean.getBoolean("parity.report");

    private Tolerance() {
    }

    /**
     * Passes when |actual_i - expected_i| <= tol * max_j |expected_j| for every i (scaled
     * absolute error: float32 rounding is relative to the magnitudes being summed, and a
     * gradient's small entries come from sums of large ones).
     */
    static void assertScaled(String what, double[] expected, double[] actual, double tol) {
        if (expected.length != actual.length) {
            fail(what + ": " + actual.length + " values, expected " + expected.length);
        }
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double worst = -1;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= worst) || Double.isNaN(actual[i])) {
                worst = Double.isNaN(actual[i]) ? Double.POSITIVE_INFINITY : err;
                at = i;
            }
        }
        double limit = tol * Math.max(scale, Double.MIN_NORMAL);
        if (REPORT) {
            System.out.printf("parity %-45s scaled error %.2e (tolerance %.0e)%n", what,
                    worst / Math.max(scale, Double.MIN_NORMAL), tol);
        }
        if (!(worst <= limit)) {
            fail(String.format("%s: max abs error %.3g at index %d (expected %.9g, got %.9g), "
                            + "max |expected| %.3g, scaled error %.3g > tolerance %.1g",
                    what, worst, at, expected[at], actual[at], scale, worst / Math.max(scale, Double.MIN_NORMAL), tol));
        }
    }

    /** Passes when |actual_i - expected_i| <= atol + rtol * |expected_i| for every i. */
    static void assertRelative(String what, double[] expected, double[] actual, double rtol, double atol) {
        if (expected.length != actual.length) {
            fail(what + ": " + actual.length + " values, expected " + expected.length);
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            worst = Math.max(worst, err / (atol + rtol * Math.abs(expected[i])));
            if (!(err <= atol + rtol * Math.abs(expected[i]))) {
                fail(String.format("%s: index %d expected %.9g, got %.9g (abs error %.3g, relative %.3g > %.1g)",
                        what, i, expected[i], actual[i], err, err / Math.abs(expected[i]), rtol));
            }
        }
        if (REPORT) {
            System.out.printf("parity %-45s worst error / allowed %.2f (rtol %.0e, atol %.1e)%n", what, worst, rtol, atol);
        }
    }

    static void assertScaled(String what, NDArray expected, NDArray actual, double tol) {
        assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape(), what + ": shape");
        assertScaled(what, toDoubles(expected), toDoubles(actual), tol);
    }

    /** Spikes must agree exactly, except where skip (may be null) is set. */
    static void assertSpikes(String what, NDArray expected, NDArray actual, boolean[] skip) {
        assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape(), what + ": shape");
        double[] e = toDoubles(expected);
        double[] a = toDoubles(actual);
        int wrong = 0;
        int first = -1;
        for (int i = 0; i < e.length; i++) {
            if ((skip == null || !skip[i]) && e[i] != a[i]) {
                wrong++;
                first = first < 0 ? i : first;
            }
        }
        if (wrong > 0) {
            fail(String.format("%s: %d of %d spikes differ; first at index %d (expected %s, got %s)",
                    what, wrong, e.length, first, e[first], a[first]));
        }
    }

    static double[] toDoubles(NDArray array) {
        return array.toType(DataType.FLOAT64, false).toDoubleArray();
    }
}
