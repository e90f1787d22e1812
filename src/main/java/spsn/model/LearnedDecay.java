package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import spsn.SpsnException;

/**
 * ParaLIF's parametrisation of learnable time constants (--learn_tau): the state dict holds a raw
 * value and the decay factor used is its sigmoid, computed as the network computes it (a 0-d
 * float32 tensor, so the same kernel and the same rounding as in training). Both directions, for
 * model files that hold decay factors instead (NIR).
 */
public final class LearnedDecay {

    /** How far, in float steps, the search of {@link #raw} goes from the nearest logit. */
    private static final int SEARCH = 256;

    private LearnedDecay() {
    }

    /** The decay factor the raw parameter {@code raw} stands for: sigmoid(raw). */
    public static float decay(NDManager manager, float raw) {
        try (NDArray x = manager.create(raw); NDArray s = x.getNDArrayInternal().sigmoid()) {
            return s.getFloat();
        }
    }

    /**
     * A raw parameter whose sigmoid is exactly {@code decay}: the float closest to logit(decay)
     * that gives it back. Several floats map onto one decay factor (the sigmoid's slope is below
     * 1/4), so the raw value the model had may differ from this one, never its decay.
     *
     * @throws SpsnException (data) when {@code decay} is not in (0, 1) or no float gives it back
     */
    public static float raw(NDManager manager, float decay, String what) {
        if (!(decay > 0 && decay < 1)) {
            throw SpsnException.data(what + ": decay factor " + decay + " per step is outside (0, 1)");
        }
        float guess = (float) Math.log(decay / (1.0 - decay));
        float up = guess;
        float down = guess;
        for (int i = 0; i <= SEARCH; i++) {
            if (decay(manager, up) == decay) {
                return up;
            }
            if (decay(manager, down) == decay) {
                return down;
            }
            up = Math.nextUp(up);
            down = Math.nextDown(down);
        }
        throw SpsnException.data(what + ": no learnable time constant gives the decay factor " + decay
                + " per step exactly (sigmoid of a float32)");
    }

    /**
     * The decay factors of a tensor of raw parameters of {@code shape} (0-d: one per layer; [H]:
     * one per neuron), computed as the network computes them: one sigmoid over the whole tensor,
     * since the engine's vectorised kernel may round an element differently from a 0-d sigmoid.
     */
    public static float[] decays(NDManager manager, float[] raw, long[] shape) {
        if (shape.length == 0) {
            return new float[] {decay(manager, raw[0])};
        }
        try (NDArray x = manager.create(raw, new Shape(shape)); NDArray s = x.getNDArrayInternal().sigmoid()) {
            return s.toFloatArray();
        }
    }

    /**
     * Raw parameters of {@code shape} whose sigmoid, computed over the whole tensor as the network
     * does, is exactly {@code decays}: per element the float closest to its logit that gives it
     * back (as {@link #raw}; for a 0-d shape, {@link #raw} itself).
     *
     * @throws SpsnException (data) naming {@code what} and the neuron when no float gives one back
     */
    public static float[] raws(NDManager manager, float[] decays, long[] shape, String what) {
        if (shape.length == 0) {
            return new float[] {raw(manager, decays[0], what)};
        }
        int n = decays.length;
        float[] up = new float[n];
        for (int k = 0; k < n; k++) {
            if (!(decays[k] > 0 && decays[k] < 1)) {
                throw SpsnException.data(what + " neuron " + k + ": decay factor " + decays[k]
                        + " per step is outside (0, 1)");
            }
            up[k] = (float) Math.log(decays[k] / (1.0 - decays[k]));
        }
        float[] down = up.clone();
        boolean[] found = new boolean[n];
        int left = n;
        for (int i = 0; i <= SEARCH && left > 0; i++) {
            float[] fromUp = decays(manager, up, shape);
            float[] fromDown = decays(manager, down, shape);
            for (int k = 0; k < n; k++) {
                if (found[k]) {
                    continue;
                }
                if (fromUp[k] == decays[k] || fromDown[k] == decays[k]) {
                    // keep the element where it is: the next passes leave it alone
                    float hit = fromUp[k] == decays[k] ? up[k] : down[k];
                    up[k] = hit;
                    down[k] = hit;
                    found[k] = true;
                    left--;
                } else {
                    up[k] = Math.nextUp(up[k]);
                    down[k] = Math.nextDown(down[k]);
                }
            }
        }
        for (int k = 0; k < n; k++) {
            if (!found[k]) {
                throw SpsnException.data(what + " neuron " + k + ": no learnable time constant gives the decay factor "
                        + decays[k] + " per step exactly (sigmoid of a float32)");
            }
        }
        return up;
    }
}
