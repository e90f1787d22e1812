package spsn.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import spsn.neuron.NoiseSource;
import spsn.neuron.TempArrays;

/**
 * A pass's noise with every parallel hidden layer's integrated membrane moved by a few units in
 * the last place, each element by its own uniform amount in ±4 ulps of 1 (relative; seeded): the
 * membrane as another correct order of the float32 sums could have rounded it. The integration's
 * rounding grows over the steps: at the bench's size the Java recurrence's first-layer membrane
 * and the engine's chunked scan's differ by 1 ulp (median), 6 (90th percentile), 52 (99th, values
 * near zero), each about as far from the float64 result. A run with it shows how far rounding
 * alone moves the plain path's results (see {@link FastPathCheck}). The neurons' own noise is
 * {@code noise}'s, unchanged.
 */
final class RoundingJitter implements NoiseSource {

    /** 4 ulps of 1 (2^-21): the membranes are scaled by 1 + e, |e| below this. */
    private static final float SPREAD = 0x1p-21f;

    private final NoiseSource noise;
    private final NoiseSource moves;

    /** {@code noise}'s draws; the membranes' moves drawn from a source keyed by {@code key}. */
    RoundingJitter(NoiseSource noise, long key, Device device) {
        this.noise = noise;
        this.moves = NoiseSource.keyed(key, device);
    }

    @Override
    public NDArray uniform(NDManager manager, Shape shape) {
        return noise.uniform(manager, shape);
    }

    @Override
    public NDArray logistic(NDManager manager, Shape shape) {
        return noise.logistic(manager, shape);
    }

    @Override
    public NDArray bernoulli(NDArray p) {
        return noise.bernoulli(p);
    }

    /** The membrane times 1 + e element by element, e uniform in ±2^-21 (in the graph: its gradient is moved too). */
    @Override
    public NDArray membrane(NDArray integrated) {
        try (TempArrays tmp = new TempArrays()) {
            tmp.add(integrated);
            NDArray u = tmp.add(moves.uniform(integrated.getManager(), integrated.getShape()));
            // (2u - 1) 2^-21 + 1, u in (0, 1)
            NDArray factor = tmp.add(tmp.add(u.mul(2 * SPREAD)).add(1 - SPREAD));
            return integrated.mul(factor);
        }
    }
}
