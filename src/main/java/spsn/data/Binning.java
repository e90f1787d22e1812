package spsn.data;

/**
 * Spike times to time bins, exactly as the original: dt = 1 ms and a spike at time {@code t}
 * (seconds) goes to bin {@code ceil(t / dt)}, the division done in float32. So t = 0 is bin 0,
 * t = 0.001f is bin 1 and t = 0.0010001f is bin 2 (a bin covers (k-1)·dt &lt; t &le; k·dt).
 * Float32 matters: for the float32 times k/1000 the float32 division gives exactly k, while a
 * float64 division of the same times gives k + 1 for about half of them.
 */
public final class Binning {

    /** Width of one time step, seconds (1 ms). */
    public static final float DT = 0.001f;

    private Binning() {
    }

    /** The bin of a spike at {@code timeSeconds} (finite, &ge; 0; callers validate). */
    public static int bin(float timeSeconds) {
        float steps = timeSeconds / DT;
        return (int) Math.ceil(steps);
    }
}
