package spsn.nir;

import spsn.neuron.Decay;

/**
 * The one correspondence between NIR's continuous neurons and this tool's discrete ones
 * (derived in docs/NIR.md). NIR's CubaLIF,
 * tau_syn I' = -I + w_in S and tau_mem v' = (v_leak - v) + r I, stepped by forward Euler at dt,
 * current first, is
 * I_t = (1 - dt/tau_syn) I_{t-1} + (dt/tau_syn) w_in S_t and
 * v_t = (1 - dt/tau_mem) v_{t-1} + (dt/tau_mem) (v_leak + r I_t),
 * which is this tool's syn_t = alpha syn_{t-1} + X_t, mem_t = beta mem_{t-1} + (1 - beta) syn_t
 * exactly when tau_syn = dt/(1 - alpha), tau_mem = dt/(1 - beta), w_in = 1/(1 - alpha) and
 * r = 1 (with v_leak = 0, and threshold 1 / reset 0 for the firing layers).
 */
public final class EulerMapping {

    /** The time step NIR files of this tool assume, in seconds: one step per 1 ms input bin. */
    public static final double DT = 1e-3;

    private EulerMapping() {
    }

    /** NIR's time constant whose Euler step at {@code dt} decays by {@code decay}: dt/(1 - decay). */
    public static double tau(float decay, double dt) {
        return dt / (1 - (double) decay);
    }

    /** The per-step decay of NIR's time constant {@code tau} under an Euler step of {@code dt}. */
    public static double decay(double tau, double dt) {
        return 1 - dt / tau;
    }

    /** NIR's w_in that makes the current's Euler step add the input once: 1/(1 - alpha) = tau_syn/dt. */
    public static double inputWeight(float alpha) {
        return 1 / (1 - (double) alpha);
    }

    /**
     * The time constant, in seconds, to give this tool (--tau_syn, --tau_mem: decay exp(-1 ms/tau))
     * for the decay per step of NIR's {@code tau} at {@code dt}: -1 ms / ln(1 - dt/tau).
     */
    public static double toolTau(double tau, double dt) {
        return -Decay.DT / Math.log(decay(tau, dt));
    }
}
