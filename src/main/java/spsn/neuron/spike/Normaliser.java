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