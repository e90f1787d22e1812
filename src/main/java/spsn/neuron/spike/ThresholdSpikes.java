package spsn.neuron.spike;

import ai.djl.ndarray.NDArray;
import spsn.neuron.BackwardTape;
import spsn.neuron.NoiseSource;
import spsn.neuron.SpikeTally;

/** s_t = H(n_t - theta), with the surrogate's gradient (ParaLIF's threshold_fn). */
public record ThresholdSpikes(Surrogate surrogate) implements SpikeGenerator {

    @Override
    public NDArray spikes(NDArray normalised, NDArray threshold, NoiseSource noise) {
        return spikes(normalised, threshold, noise, null, null);
    }

    @Override
    public NDArray spikes(NDArray normalised, NDArray threshold, NoiseSource noise, BackwardTape tape,
                          SpikeTally tally) {
        if (tape != null) { // one Java pass each way (CPU)
            return JavaThresholdCrossing.apply(Normaliser.IDENTITY, normalised, threshold, false, surrogate, tape,
                    tally);
        }
        try (NDArray above = normalised.sub(threshold)) {
            return surrogate.heaviside(above);
        }
    }

    /** With a tape, the normaliser's backward pass in the Java step's too. */
    @Override
    public NDArray spikes(Normaliser normaliser, NDArray mem, NDArray threshold, NoiseSource noise,
                          BackwardTape tape, SpikeTally tally) {
        return tape == null
                ? SpikeGenerator.super.spikes(normaliser, mem, threshold, noise, null, null)
                : JavaThresholdCrossing.apply(normaliser, mem, threshold, false, surrogate, tape, tally);
    }

    @Override
    public boolean stochastic() {
        return false;
    }

    @Override
    public boolean usesThreshold() {
        return true;
    }
}
