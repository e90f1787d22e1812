package spsn.neuron.spike;

import ai.djl.ndarray.NDArray;
import spsn.neuron.BackwardTape;
import spsn.neuron.NoiseSource;
import spsn.neuron.SpikeTally;

/**
 * A spike function as data: a normaliser composed with a generator (ParaLIF's SpikingFunction).
 * SPSN-SB is sigmoid then Bernoulli, SPSN-GS identity then Gumbel-softmax.
 */
public record SpikeFunction(Normaliser normaliser, SpikeGenerator generator) {

    /** Spikes for membrane potentials [T, B, H] (time first). */
    public NDArray apply(NDArray mem, NDArray threshold, NoiseSource noise) {
        return apply(mem, threshold, noise, null);
    }

    /** The same, with steps that Java computes faster on {@code tape} (see SpikeGenerator). */
    public NDArray apply(NDArray mem, NDArray threshold, NoiseSource noise, BackwardTape tape) {
        return apply(mem, threshold, noise, tape, null);
    }

    /**
     * The same; a Java step also tallies the spikes in {@code tally} (null: no tally; see
     * SpikeTally, which says whether a step did).
     */
    public NDArray apply(NDArray mem, NDArray threshold, NoiseSource noise, BackwardTape tape, SpikeTally tally) {
        if (tape != null) {
            return generator.spikes(normaliser, mem, threshold, noise, tape, tally);
        }
        NDArray normalised = normaliser.apply(mem);
        try {
            return generator.spikes(normalised, threshold, noise, null, null);
        } finally {
            if (normalised != mem) {
                normalised.close();
            }
        }
    }
}
