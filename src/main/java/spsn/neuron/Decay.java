package spsn.neuron;

/**
 * Per-step decay factors of the two leaky integrations shared by LIF and SPSN neurons:
 * {@code syn_t = alpha*syn_{t-1} + X_t} and {@code mem_t = beta*mem_{t-1} + (1-beta)*syn_t}.
 */
public record Decay(float alpha, float beta) {

    /** Simulation step of the original (1 ms). */
    public static final double DT = 1e-3;

    /** {@code alpha = exp(-dt/tauSyn)}, {@code beta = exp(-dt/tauMem)}. */
    public static Decay of(double tauSyn, double tauMem, double dt) {
        return new Decay((float) Math.exp(-dt / tauSyn), (float) Math.exp(-dt / tauMem));
    }

    /**
     * Impulse response of the two integrations, in double precision: {@code h[n] = sum over
     * i+j=n of alpha^i (1-beta) beta^j} for n &lt; length. Computed by running the recurrence,
     * which is exactly what the no-reset neuron does to a unit impulse.
     */
    public double[] kernel(int length) {
        double[] h = new double[length];
        double syn = 0;
        double mem = 0;
        for (int n = 0; n < length; n++) {
            syn = alpha * syn + (n == 0 ? 1 : 0);
            mem = beta * mem + (1 - (double) beta) * syn;
            h[n] = mem;
        }
        return h;
    }
}
