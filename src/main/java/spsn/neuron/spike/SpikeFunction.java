package spsn.neuron.spike;

import ai.djl.ndarray.NDArray;
import spsn.neuron.NoiseSource;

/**
 * A spike function as data: a normaliser composed with a generator (ParaLIF's SpikingFunction).
 * SPSN-SB is sigmoid then Bernoulli, SPSN-GS identity then Gumbel-softmax.
 */
public record SpikeFunction(Normaliser normaliser, SpikeGenerator generator) {

    /** Spikes for membrane potentials [T, B, H] (time first). */
    public NDArray apply(NDArray mem, NDArray threshold, NoiseSource noise) {
        NDArray normalised = normaliser.apply(mem);
        try {
            return generator.spikes(normalised, threshold, noise);
        } finally {
            if (normalised != mem) {
                normalised.close();
            }
        }
    }
}
