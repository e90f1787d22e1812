package spsn.neuron.spike;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import spsn.neuron.BackwardTape;
import spsn.neuron.NoiseSource;
import spsn.neuron.SpikeTally;
import spsn.neuron.TempArrays;

/**
 * s_t = H((n_t - n_{t-1}) - theta) with n_{-1} = 0: a spike when the normalised membrane rises
 * by more than theta in one step (ParaLIF's delta_fn), with the surrogate's gradient. Causal, so
 * padding at the end of the time axis never reaches a real step.
 */
public record DeltaSpikes(Surrogate surrogate) implements SpikeGenerator {

    @Override
    public NDArray spikes(NDArray normalised, NDArray threshold, NoiseSource noise) {
        return spikes(normalised, threshold, noise, null, null);
    }

    @Override
    public NDArray spikes(NDArray normalised, NDArray threshold, NoiseSource noise, BackwardTape tape,
                          SpikeTally tally) {
        if (tape != null) { // one Java pass each way (CPU)
            return JavaThresholdCrossing.apply(Normaliser.IDENTITY, normalised, threshold, true, surrogate, tape,
                    tally);
        }
        try (TempArrays tmp = new TempArrays()) {
            NDArray previous = tmp.add(shiftedInTime(normalised));
            NDArray rise = tmp.add(normalised.sub(previous));
            return surrogate.heaviside(tmp.add(rise.sub(threshold)));
        }
    }

    /** x delayed by one step along the first (time) axis, zero at step 0. */
    public static NDArray shiftedInTime(NDArray x) {
        long steps = x.getShape().get(0);
        try (TempArrays tmp = new TempArrays()) {
            NDArray first = tmp.add(x.get(new NDIndex("0:1")));
            NDArray zero = tmp.add(first.zerosLike());
            if (steps == 1) {
                return zero.duplicate();
            }
            NDArray head = tmp.add(x.get(new NDIndex(":" + (steps - 1))));
            return NDArrays.concat(new NDList(zero, head), 0);
        }
    }

    /** With a tape, the normaliser's backward pass in the Java step's too. */
    @Override
    public NDArray spikes(Normaliser normaliser, NDArray mem, NDArray threshold, NoiseSource noise,
                          BackwardTape tape, SpikeTally tally) {
        return tape == null
                ? SpikeGenerator.super.spikes(normaliser, mem, threshold, noise, null, null)
                : JavaThresholdCrossing.apply(normaliser, mem, threshold, true, surrogate, tape, tally);
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
