package spsn.neuron;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import spsn.io.HostFloats;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.stream.IntStream;

/**
 * Counter-based noise, written by Java threads straight into the engine's tensor memory.
 * Element i of the d-th array drawn from a source with key k is a pure function of (k, d, i) (a
 * SplitMix64 hash of a counter), so the values do not depend on the number of threads, and any
 * batch can be replayed from its key alone.
 *
 * <p>Why not the engine's generator: libtorch draws CPU uniforms one by one on one thread
 * (~67 ms for one SHD-sized layer of 9.4 M values, 45% of an SPSN layer's forward pass), and a
 * Gumbel pair needs four logarithms on top. Here a uniform array costs about a fifth of that, and a
 * logistic one (the difference of two Gumbels, what a Gumbel-softmax spike needs) one draw.
 */
public final class CounterNoise implements NoiseSource {

    /** Uniforms have 23 random bits: u = (k + 1/2) / 2^23 is exact in float32 and never 0 or 1. */
    private static final int BITS = 23;
    private static final float SCALE = 1f / (1 << BITS);
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    /**
     * Elements per parallel task: large enough to amortise scheduling, small enough to balance;
     * the longest block {@link #drawLevels} hands a kernel.
     */
    public static final int BLOCK = 1 << 16;

    /**
     * 2^23, the number of uniform levels: u = (k + 1/2) / LEVELS and 1 - u = (LEVELS - (k + 1/2))
     * / LEVELS, both exact.
     */
    public static final float LEVELS = 1 << BITS;
    /** One block of values per thread, computed before one bulk copy into the tensor. */
    private static final ThreadLocal<float[]> BUFFERS = ThreadLocal.withInitial(() -> new float[BLOCK + 1]);
    /** The probabilities of one block (see {@link #bernoulli}). */
    private static final ThreadLocal<float[]> LIMITS = ThreadLocal.withInitial(() -> new float[BLOCK]);
    /** Where one block's hashes become floats (see {@link #uniformBlock}), per thread. */
    private static final ThreadLocal<FloatBits> FLOAT_BITS = ThreadLocal.withInitial(FloatBits::new);
    /** The bits of 1.0f: with 23 bits k below them, the float 1 + k / 2^23. */
    private static final long ONE_BITS = 0x3F800000L;
    private static final long LEVEL_MASK = (1L << BITS) - 1;
    /**
     * GOLDEN * j for the pairs j of a block: the hash loop reads its counters from here because
     * the JIT compiles a loop over arrays to vector instructions, not one over the multiplied
     * loop index.
     */
    private static final long[] PAIR_OFFSETS = new long[BLOCK / 2 + 1];

    /** Table for {@link #log}: ln(1 + i/128) and 128/(128 + i). */
    private static final int TABLE_BITS = 7;
    private static final float[] LOG_AT = new float[1 << TABLE_BITS];
    private static final float[] INVERSE_AT = new float[1 << TABLE_BITS];
    private static final float LN2 = (float) Math.log(2);

    static {
        for (int j = 0; j < PAIR_OFFSETS.length; j++) {
            PAIR_OFFSETS[j] = GOLDEN * j;
        }
        for (int i = 0; i < LOG_AT.length; i++) {
            double c = 1 + i / (double) LOG_AT.length;
            LOG_AT[i] = (float) Math.log(c);
            INVERSE_AT[i] = (float) (1 / c);
        }
    }

    private final long key;
    private long draws;

    /** A source whose arrays depend only on {@code key} and their order of drawing. */
    public CounterNoise(long key) {
        this.key = key;
    }

    @Override
    public NDArray uniform(NDManager manager, Shape shape) {
        return fill(manager, shape, false);
    }

    /** Standard logistic samples log(u / (1 - u)), u being the uniform this draw would give. */
    @Override
    public NDArray logistic(NDManager manager, Shape shape) {
        return fill(manager, shape, true);
    }

    /**
     * The spikes [u &lt; p] for the uniform u that {@link #uniform} would draw next, in one pass
     * that reads p and writes the spikes (u is never stored).
     */
    @Override
    public NDArray bernoulli(NDArray p) {
        return bernoulli(p, null);
    }

    /** The same, the spikes of p [T', B, H] tallied in {@code tally} (null: not). */
    @Override
    public NDArray bernoulli(NDArray p, SpikeTally tally) {
        requireHost(p.getDevice());
        int size = Math.toIntExact(p.getShape().size());
        NDArray spikes = p.getManager().create(p.getShape(), DataType.FLOAT32);
        FloatBuffer probabilities = ((PtNDArray) p).toByteBuffer(true).asFloatBuffer();
        FloatBuffer out = ((PtNDArray) spikes).toByteBuffer(true).asFloatBuffer();
        if (tally != null) {
            tally.start(p.getShape());
        }
        drawLevels(size, (values, start, length) -> {
            float[] limits = LIMITS.get();
            probabilities.get(start, limits, 0, length);
            for (int i = 0; i < length; i++) {
                // [u < p] = [p - u > 0]
                values[i] = BranchFreeStep.of(limits[i] - values[i] * SCALE);
            }
            out.put(start, values, 0, length);
            if (tally != null) {
                tally.add(values, start, length);
            }
        });
        return spikes;
    }

    private NDArray fill(NDManager manager, Shape shape, boolean logistic) {
        requireHost(manager.getDevice());
        int size = Math.toIntExact(shape.size());
        LevelKernel transform = logistic ? CounterNoise::toLogistic : CounterNoise::toUniform;
        NDArray array = manager.create(shape, DataType.FLOAT32);
        FloatBuffer out = ((PtNDArray) array).toByteBuffer(true).asFloatBuffer();
        drawLevels(size, (values, start, length) -> {
            transform.apply(values, start, length);
            out.put(start, values, 0, length);
        });
        return array;
    }

    /**
     * The next draw of {@code size} uniforms, handed to {@code kernel} block by block as the levels
     * k + 1/2 (u = level / {@link #LEVELS}), in parallel, without being stored: the draw that
     * {@link #uniform} or {@link #logistic} would make next, so a Java kernel that needs one
     * uniform per element reads it where it is made (see JavaGumbelSoftmax).
     */
    public void drawLevels(int size, LevelKernel kernel) {
        long stream = mix(key + GOLDEN * ++draws);
        int blocks = (size + BLOCK - 1) / BLOCK;
        IntStream.range(0, blocks).parallel().forEach(block -> {
            float[] levels = BUFFERS.get();
            int start = block * BLOCK;
            int length = Math.min(BLOCK, size - start);
            uniformBlock(levels, start, length, stream);
            kernel.apply(levels, start, length);
        });
    }

    /** What {@link #drawLevels} runs on each block: levels[0..length) are elements start.. of the draw. */
    @FunctionalInterface
    public interface LevelKernel {
        void apply(float[] levels, int start, int length);
    }

    /** Java writes the values into the tensor's memory: a CPU tensor (elsewhere {@link EngineNoise} draws). */
    private static void requireHost(Device device) {
        if (!HostFloats.onHost(device)) {
            throw new IllegalStateException("CounterNoise fills CPU tensors; on " + device + " use EngineNoise"
                    + " (NoiseSource.keyed)");
        }
    }

    /**
     * values[i] = k + 1/2 for elements start..start+length of a draw (start even), k being 23 bits
     * of a SplitMix64 hash of the element pair's index (two values per hash: the top 23 bits make
     * the even element, bits 9..31 the odd one).
     *
     * <p>Written for the JIT's vector instructions, which it does not use for a conversion from
     * int to float: each hash becomes, in long arithmetic, the bits of two floats 1 + k / 2^23
     * (k under the exponent bits of 1.0), which a copy through memory turns into floats, and
     * k + 1/2 = (1 + k / 2^23) * 2^23 - (2^23 - 1/2) is then exact in float arithmetic.
     */
    private static void uniformBlock(float[] values, int start, int length, long stream) {
        FloatBits scratch = FLOAT_BITS.get();
        long[] pairsBits = scratch.longs;
        int pairs = (length + 1) >>> 1;
        long first = stream + GOLDEN * (start >>> 1);
        for (int j = 0; j < pairs; j++) {
            long bits = mix(first + PAIR_OFFSETS[j]);
            long even = (bits >>> (64 - BITS)) | ONE_BITS;
            long odd = ((bits >>> (32 - BITS)) & LEVEL_MASK) | ONE_BITS;
            // little-endian: the low half is the float at the lower address, the even element
            pairsBits[j] = (odd << 32) | even;
        }
        scratch.asLongs.put(0, pairsBits, 0, pairs);
        scratch.asFloats.get(0, values, 0, 2 * pairs);
        for (int i = 0; i < 2 * pairs; i++) {
            values[i] = values[i] * LEVELS - (LEVELS - 0.5f);
        }
    }

    /** One block's pairs of float bits as longs, and memory that reads them back as floats. */
    private static final class FloatBits {
        final long[] longs = new long[BLOCK / 2 + 1];
        final ByteBuffer memory = ByteBuffer.allocateDirect(Long.BYTES * longs.length).order(ByteOrder.LITTLE_ENDIAN);
        final LongBuffer asLongs = memory.asLongBuffer();
        final FloatBuffer asFloats = memory.asFloatBuffer();
    }

    /** k + 1/2 to u = (k + 1/2) / 2^23. */
    private static void toUniform(float[] values, int start, int length) {
        for (int i = 0; i < length; i++) {
            values[i] *= SCALE;
        }
    }

    /** k + 1/2 to log(u / (1 - u)) = log((k + 1/2) / (2^23 - (k + 1/2))). */
    private static void toLogistic(float[] values, int start, int length) {
        for (int i = 0; i < length; i++) {
            values[i] = log(values[i] / (LEVELS - values[i]));
        }
    }

    /**
     * Natural logarithm of a positive normal float, to about 1e-7 relative (Math.log costs ~4x
     * more): x = 2^e * c * (1 + d) with c = 1 + i/128 from the top mantissa bits, 0 &le; d &lt;
     * 1/128, and ln(1 + d) from three terms of its series (error below d^4/4 &lt; 1e-9).
     */
    static float log(float x) {
        int bits = Float.floatToRawIntBits(x);
        int exponent = (bits >>> 23) - 127;
        int index = (bits >>> (23 - TABLE_BITS)) & ((1 << TABLE_BITS) - 1);
        float mantissa = Float.intBitsToFloat((bits & 0x007FFFFF) | 0x3F800000);
        float d = (mantissa - (1 + index / (float) (1 << TABLE_BITS))) * INVERSE_AT[index];
        float series = d * (1 - d * (0.5f - d * (1f / 3)));
        return exponent * LN2 + LOG_AT[index] + series;
    }

    /** SplitMix64's finaliser: a bijective 64-bit mix whose outputs pass BigCrush for counters. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
