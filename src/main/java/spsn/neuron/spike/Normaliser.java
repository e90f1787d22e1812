package spsn.neuron.spike;

import ai.djl.ndarray.NDArray;

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
}
