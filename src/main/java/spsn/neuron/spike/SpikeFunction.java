package spsn.neuron.spike;

import ai.djl.ndarray.NDArray;
import spsn.neuron.BackwardTape;
import spsn.neuron.NoiseSource;

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
        if (tape != null) {
            return generator.spikes(normaliser, mem, threshold, noise, tape);
        }
        NDArray normalised = normaliser.apply(mem);
        try {
            return generator.spikes(normalised, threshold, noise, tape);
        } finally {
            if (normalised != mem) {
                normalised.close();
            }
        }
    }
}
