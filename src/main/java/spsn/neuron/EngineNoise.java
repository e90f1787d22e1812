package spsn.neuron;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Noise drawn by the engine's own generator on the tensors' device: what stochastic neurons use
 * where Java cannot write tensor memory (a GPU), so that no host buffer is filled and copied per
 * draw. {@link CounterNoise} stays the source on the CPU.
 *
 * <p>Same rules as {@link CounterNoise} where they can hold: the d-th array drawn from a source with
 * key k depends on (k, d) and the shape alone, because the engine's generator is reseeded with a
 * hash of (k, d) before each draw (draws elsewhere in between change nothing); the uniforms lie on
 * the same grid u = (j + 1/2) / 2^23, j a uniform 23-bit integer, never 0 or 1; logistic samples
 * are log(u / (1 - u)) of such a u. The numbers are not CounterNoise's (another generator), and
 * libtorch's CUDA generator (Philox) gives other numbers than its CPU one: a key repeats its noise
 * on the same device type with the same libtorch.
 */
public final class EngineNoise implements NoiseSource {

    private static final int BITS = 23;
    private static final float LEVELS = 1 << BITS;
    private static final float SCALE = 1f / LEVELS;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final long key;
    private long draws;

    /** A source whose arrays depend only on {@code key} and their order of drawing. */
    public EngineNoise(long key) {
        this.key = key;
    }

    @Override
    public NDArray uniform(NDManager manager, Shape shape) {
        try (TempArrays tmp = new TempArrays()) {
            return tmp.add(halfLevels(manager, shape, tmp)).mul(SCALE);
        }
    }

    /** log(u / (1 - u)) = log((j + 1/2) / (2^23 - (j + 1/2))), both terms exact in float32. */
    @Override
    public NDArray logistic(NDManager manager, Shape shape) {
        try (TempArrays tmp = new TempArrays()) {
            NDArray level = tmp.add(halfLevels(manager, shape, tmp));
            NDArray rest = tmp.add(tmp.add(level.neg()).addi(LEVELS));
            return tmp.add(level.div(rest)).log();
        }
    }

    /** j + 1/2 for uniform 23-bit integers j of the next draw, as float32 on {@code manager}'s device. */
    private NDArray halfLevels(NDManager manager, Shape shape, TempArrays tmp) {
        JniUtils.setSeed(CounterNoise.mix(key + GOLDEN * ++draws));
        NDArray levels = tmp.add(manager.randomInteger(0, 1L << BITS, shape, DataType.INT32));
        return tmp.add(levels.toType(DataType.FLOAT32, false)).add(0.5f);
    }
}
