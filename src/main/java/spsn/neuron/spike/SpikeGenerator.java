package spsn.neuron.spike;

import ai.djl.ndarray.NDArray;
import spsn.neuron.BackwardTape;
import spsn.neuron.NoiseSource;
import spsn.neuron.SpikeTally;

/**
 * The second half of a ParaLIF spike function: spikes from the normalised membrane. Arrays are
 * time first, [T, B, H]; the threshold broadcasts against them (a scalar or one per neuron).
 */
public interface SpikeGenerator {

    /** Spikes (0/1 in value) with this generator's training gradient. */
    NDArray spikes(NDArray normalised, NDArray threshold, NoiseSource noise);

    /**
     * The same, with steps that Java computes faster on {@code tape} (null: the engine's autograd
     * alone, as {@link #spikes(NDArray, NDArray, NoiseSource)}); a Java step tallies the spikes
     * in {@code tally} when it is not null (see SpikeTally, which says whether one did).
     */
    default NDArray spikes(NDArray normalised, NDArray threshold, NoiseSource noise, BackwardTape tape,
                           SpikeTally tally) {
        return spikes(normalised, threshold, noise);
    }

    /**
     * Spikes of {@code normaliser(mem)} with a tape: a Java step may take the normaliser's backward
     * pass into its own (one pass instead of two, and no autograd node); by default the normaliser
     * is in the graph and {@link #spikes(NDArray, NDArray, NoiseSource, BackwardTape, SpikeTally)}
     * follows.
     */
    default NDArray spikes(Normaliser normaliser, NDArray mem, NDArray threshold, NoiseSource noise,
                           BackwardTape tape, SpikeTally tally) {
        NDArray normalised = normaliser.apply(mem);
        try {
            return spikes(normalised, threshold, noise, tape, tally);
        } finally {
            if (normalised != mem) {
                normalised.close();
            }
        }
    }

    /** Whether the spikes are drawn at random (the noise is used). */
    boolean stochastic();

    /** Whether the threshold enters (the stochastic generators ignore it). */
    boolean usesThreshold();
}
