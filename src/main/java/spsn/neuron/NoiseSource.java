package spsn.neuron;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Where stochastic neurons get their uniform noise. Training draws from the engine's seeded
 * generator; tests pass fixed arrays to compare against reference values.
 */
@FunctionalInterface
public interface NoiseSource {

    /** Uniform samples in (0, 1) of the given shape, owned by {@code manager}. */
    NDArray uniform(NDManager manager, Shape shape);

    /** The engine's random generator (seeded with {@code Engine.setRandomSeed}). */
    static NoiseSource engine() {
        // Keep u away from 0 and 1 so that the Gumbel transform -log(-log u) stays finite.
        return (manager, shape) -> manager.randomUniform(1e-7f, 1f - 1e-7f, shape);
    }
}
