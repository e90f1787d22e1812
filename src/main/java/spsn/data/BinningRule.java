package spsn.data;

import java.util.function.DoubleUnaryOperator;

/**
 * How spike times (seconds) become time bins: {@code rounding(t / windowSeconds)}, with the
 * division done as numpy does it for the dtype the file stores (a Python float divisor adopts
 * the array's dtype):
 * <ul>
 *   <li>float16 (the real SHD and SSC files): the window is rounded to float16 (1e-3 becomes
 *       0.0010004043579101562), the quotient is computed in float32 and rounded to float16 (to
 *       nearest even); from 65520 on it overflows to infinity, which {@link #quotient} returns and
 *       the reader rejects as a data error;</li>
 *   <li>float32: float32 division by the window rounded to float32;</li>
 *   <li>float64: float64 division.</li>
 * </ul>
 * The dtype matters: a float32 division of float16 times put 23% of the spikes of a set of
 * SHD-length samples into another bin, and the original's published models then predict
 * differently.
 *
 * <p>The SPSN original bins with {@code np.digitize(t/1e-3, bins, right=True)}, i.e. {@link
 * Rounding#CEIL} of the quotient with a 1 ms window: {@link #SPSN}. ParaLIF bins with {@code
 * np.array(t/window_size, dtype=int)}, which truncates (the quotient is never negative):
 * {@link Rounding#FLOOR} under the same float16 arithmetic, so its {@code --window_size} becomes
 * {@code BinningRule.paralif(windowSize)}, passed to {@link ShdFiles#load(java.nio.file.Path,
 * FileLayout, String, BinningRule)} (or {@link ShdReader#read(java.nio.file.Path, BinningRule, int)}).
 *
 * @param rounding how a quotient becomes a bin index
 * @param windowSeconds width of one bin, seconds (positive, finite)
 */
public record BinningRule(Rounding rounding, double windowSeconds) {

    /** Quotient to bin index. */
    public enum Rounding {
        /** Smallest integer &ge; q: bin k covers (k-1)·window &lt; t &le; k·window (np.digitize, right=True). */
        CEIL,
        /** Largest integer &le; q: bin k covers k·window &le; t &lt; (k+1)·window (a cast to int). */
        FLOOR
    }

    /** The SPSN original's rule: ceil, 1 ms. */
    public static final BinningRule SPSN = new BinningRule(Rounding.CEIL, 1e-3);

    public BinningRule {
        if (rounding == null) {
            throw new IllegalArgumentException("rounding is null");
        }
        if (!(windowSeconds > 0) || Double.isInfinite(windowSeconds)) {
            throw new IllegalArgumentException("window must be a positive number of seconds, got " + windowSeconds);
        }
    }

    /** ParaLIF's rule for its {@code --window_size}: floor. */
    public static BinningRule paralif(double windowSeconds) {
        return new BinningRule(Rounding.FLOOR, windowSeconds);
    }

    /**
     * {@code t / windowSeconds} as numpy computes it for a {@code dtype} array; the result is a
     * value of that dtype (held exactly in the double), infinite or NaN where numpy's is.
     */
    public double quotient(double time, TimeDtype dtype) {
        return divider(dtype).applyAsDouble(time);
    }

    /** {@link #quotient} for many times of one dtype, the divisor rounded once. */
    public DoubleUnaryOperator divider(TimeDtype dtype) {
        return switch (dtype) {
            case FLOAT16 -> {
                float window = Float16.round(windowSeconds);
                yield t -> Float16.round((float) t / window);
            }
            case FLOAT32 -> {
                float window = (float) windowSeconds;
                yield t -> (float) t / window;
            }
            case FLOAT64 -> t -> t / windowSeconds;
        };
    }

    /** The bin of a finite quotient (see {@link #quotient}). */
    public long binOf(double quotient) {
        return (long) (rounding == Rounding.CEIL ? Math.ceil(quotient) : Math.floor(quotient));
    }

    /** The bin of a spike at {@code time}; -1 when the quotient is not finite (see {@link #quotient}). */
    public long bin(double time, TimeDtype dtype) {
        double q = quotient(time, dtype);
        return Double.isFinite(q) ? binOf(q) : -1;
    }

    /** The window as the divisor numpy uses for a {@code dtype} array. */
    public double window(TimeDtype dtype) {
        return switch (dtype) {
            case FLOAT16 -> Float16.round(windowSeconds);
            case FLOAT32 -> (float) windowSeconds;
            case FLOAT64 -> windowSeconds;
        };
    }
}
