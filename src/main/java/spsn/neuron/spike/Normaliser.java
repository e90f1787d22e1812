package spsn.neuron.spike;

import ai.djl.ndarray.NDArray;
import spsn.neuron.BranchFreeStep;

/**
 * The first half of a ParaLIF spike function: the membrane potential mapped to the value the
 * generator works on (ParaLIF's {@code SpikingFunction.normalize}). The letters before the
 * generator's in a mode name: S sigmoid, T tanh, TR relu(tanh), none for identity.
 */
public enum Normaliser {
    IDENTITY,
    SIGMOID,
    TANH,
    RELU_TANH;

    /**
     * n(mem), a new array, or {@code mem} itself for {@link #IDENTITY}: the caller closes the
     * result only when it is not {@code mem}.
     */
    public NDArray apply(NDArray mem) {
        return switch (this) {
            case IDENTITY -> mem;
            case SIGMOID -> mem.getNDArrayInternal().sigmoid();
            case TANH -> mem.tanh();
            case RELU_TANH -> {
                try (NDArray tanh = mem.tanh()) {
                    yield tanh.getNDArrayInternal().relu();
                }
            }
        };
    }

    /**
     * What a Java spike step reads in place of n(mem), a new array or {@code mem} itself as
     * {@link #apply}: n itself, but for relu(tanh) the tanh alone, saving the engine a pass. The
     * steps get the same results from it: a Bernoulli draw u &lt; n and a threshold comparison
     * n &gt; θ (θ &ge; 0) decide the same for tanh as for relu(tanh), {@link #backward} gives zero
     * wherever tanh &le; 0 either way, and where a step needs n's value itself (a rise, a
     * surrogate's slope) it applies {@link #completeInPlace}.
     */
    NDArray applyBeforeJavaStep(NDArray mem) {
        return this == RELU_TANH ? mem.tanh() : apply(mem);
    }

    /**
     * What a Java step that takes the values into its own loop ({@link #toJavaStepValues} there)
     * has the engine compute in place of {@link #applyBeforeJavaStep}'s, a new array or
     * {@code mem} itself: for tanh and relu(tanh), sigmoid(2 mem), since tanh(x) = 2 sigmoid(2x) - 1
     * and the engine's sigmoid with the doubling takes about a third of the time of its tanh
     * (MKL's high-accuracy one); the others as {@link #applyBeforeJavaStep}. The tanh made so
     * differs from the engine's by a few units in the last place (by 1.8e-7 at most over an SHD
     * batch's 9.2 M values drawn from N(0, 1)).
     */
    NDArray applyBeforeJavaLoop(NDArray mem) {
        if (this != TANH && this != RELU_TANH) {
            return applyBeforeJavaStep(mem);
        }
        try (NDArray doubled = mem.mul(2f)) {
            return doubled.getNDArrayInternal().sigmoid();
        }
    }

    /**
     * values[from..to) of {@link #applyBeforeJavaLoop} made {@link #applyBeforeJavaStep}'s, in
     * place: 2s - 1 for tanh and relu(tanh), nothing for the others.
     */
    void toJavaStepValues(float[] values, int from, int to) {
        if (this != TANH && this != RELU_TANH) {
            return;
        }
        for (int i = from; i < to; i++) {
            values[i] = 2f * values[i] - 1f;
        }
    }

    /**
     * What {@link #applyBeforeJavaStep} left out, on values[0..length] it gave, in place: relu(tanh)'s
     * relu, exactly (+0 where x &le; 0) and without a select (see BranchFreeStep); nothing for the
     * others.
     */
    void completeInPlace(float[] values, int length) {
        if (this != RELU_TANH) {
            return;
        }
        for (int i = 0; i < length; i++) {
            values[i] = values[i] * BranchFreeStep.of(values[i]) + 0f;
        }
    }

    /**
     * Whether {@link #backward} zeroes a large share of the gradients (relu(tanh)'s mask, where
     * tanh &le; 0), for TinyGradients#flush.
     */
    boolean zeroesGradients() {
        return this == RELU_TANH;
    }

    /**
     * dL/dmem in place of dL/dn for elements 0..length, from the normaliser's output n, in the
     * engine's backward arithmetic (sigmoid: g (1 - n) n; tanh: g (1 - n n); relu(tanh): that where
     * n &gt; 0, else 0), for the Java spike steps that take the normaliser's backward pass too.
     */
    void backward(float[] gradient, float[] n, int length) {
        switch (this) {
            case IDENTITY -> {
            }
            case SIGMOID -> {
                for (int i = 0; i < length; i++) {
                    gradient[i] = gradient[i] * (1f - n[i]) * n[i];
                }
            }
            case TANH -> {
                for (int i = 0; i < length; i++) {
                    gradient[i] = gradient[i] * (1f - n[i] * n[i]);
                }
            }
            case RELU_TANH -> {
                for (int i = 0; i < length; i++) {
                    // relu's mask as a factor: a select would keep the loop scalar; + 0 makes the
                    // masked elements +0, as the engine's
                    gradient[i] = gradient[i] * (1f - n[i] * n[i]) * BranchFreeStep.of(n[i]) + 0f;
                }
            }
        }
    }
}