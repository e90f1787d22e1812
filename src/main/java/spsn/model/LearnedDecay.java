package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
}
