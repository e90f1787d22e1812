package spsn.neuron;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import spsn.io.HostFloats;

/**
 * Where stochastic neurons get their noise. Training draws from a source keyed by (seed, epoch,
 * batch) ({@link #keyed}); tests pass fixed arrays to compare against reference values.
 */
public interface NoiseSource {

    /**
     * The noise keyed by {@code key} for tensors on {@code device}: {@link CounterNoise} on the CPU
     * (Java threads write it into the tensors), {@link EngineNoise} elsewhere (drawn on the device).
     */
    static NoiseSource keyed(long key, Device device) {
        return HostFloats.onHost(device) ? new CounterNoise(key) : new EngineNoise(key);
    }

    /** Uniform samples in (0, 1) of the given shape, owned by {@code manager}. */
    NDArray uniform(NDManager manager, Shape shape);

    /**
     * Spikes [u &lt; p] as 0/1 floats, u being this source's next uniform draw of p's shape (p is
     * not differentiated).
     */
    default NDArray bernoulli(NDArray p) {
        try (TempArrays tmp = new TempArrays()) {
            NDArray u = tmp.add(uniform(p.getManager(), p.getShape()));
            return tmp.add(u.lt(p)).toType(DataType.FLOAT32, false);
        }
    }

    /**
     * The same, the spikes of p [T', B, H] tallied in {@code tally} where the source draws them in
     * a Java loop that can count them (CounterNoise); by default the tally is left unstarted, for
     * the caller to count the spikes (see SpikeTally).
     */
    default NDArray bernoulli(NDArray p, SpikeTally tally) {
        return bernoulli(p);
    }

    /**
     * Standard logistic samples, the difference g0 - g1 of two standard Gumbel variables
     * g = -log(-log u): what a hard Gumbel-softmax over two logits adds to their difference. By
     * default computed that way from two uniform draws (the original's formula, so a source of
     * recorded uniforms serves two arrays); a source may draw it directly.
     */
    default NDArray logistic(NDManager manager, Shape shape) {
        try (TempArrays tmp = new TempArrays()) {
            NDArray u0 = tmp.add(uniform(manager, shape));
            return gumbelDifference(u0, tmp.add(uniform(manager, shape)));
        }
    }

    /**
     * A parallel hidden layer's integrated membrane as its spike function is to see it: the
     * membrane itself (taken over and returned). A source may move it by rounding-level noise
     * instead: the bench's yardstick of how much the plain path's results move when its float32
     * sums round differently (spsn.bench.RoundingJitter). Every integration of the engine's path
     * passes here, and the Java path's but a recurrent layer's fused pair (RecurrentLayerIntegration).
     */
    default NDArray membrane(NDArray integrated) {
        return integrated;
    }

    /** g(u0) - g(u1) with g(u) = -log(-log u): a standard logistic sample from two uniforms. */
    static NDArray gumbelDifference(NDArray u0, NDArray u1) {
        try (TempArrays tmp = new TempArrays()) {
            return gumbel(u0, tmp).sub(gumbel(u1, tmp));
        }
    }

    private static NDArray gumbel(NDArray u, TempArrays tmp) {
        return tmp.add(tmp.add(tmp.add(tmp.add(u.log()).neg()).log()).neg());
    }
}
