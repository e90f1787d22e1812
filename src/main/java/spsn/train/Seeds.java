package spsn.train;

import java.security.SecureRandom;

/**
 * Derives independent seeds for each random stream of a run (initialisation, shuffling,
 * augmentation, neuron noise per epoch) from the one --seed, so that every stream can be
 * restarted at an epoch boundary without replaying the others.
 */
public final class Seeds {

    /** Stream identifiers. */
    public static final long INIT = 1;
    public static final long SHUFFLE = 2;
    public static final long AUGMENT = 3;
    public static final long NOISE = 4;
    public static final long TEST_NOISE = 5;
    public static final long VALID_NOISE = 6;
    public static final long VALID_SPLIT = 7;

    /** Drawn seeds stay below this: a number the original's int {@code --seed} and the report take. */
    public static final long DRAWN_BOUND = Integer.MAX_VALUE;

    private Seeds() {
    }

    /**
     * The seed of an unseeded run: drawn once, then used like a {@code --seed} and written to the
     * checkpoint and the results file, so that {@code --seed <it>} repeats the run.
     */
    public static long draw() {
        return new SecureRandom().nextLong(DRAWN_BOUND);
    }

    /** A well-mixed seed for stream {@code stream} at {@code index} (SplitMix64 finaliser). */
    public static long derive(long seed, long stream, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
