package spsn.neuron.spike;

import ai.djl.ndarray.NDArray;
import spsn.neuron.BackwardTape;
import spsn.neuron.Firing;
import spsn.neuron.NoiseSource;
import spsn.neuron.SpikeTally;

/**
 * Bernoulli spikes with firing probability p (the normalised membrane, in [0, 1]), straight
 * through with the gradient g*p (ParaLIF's StochasticStraightThrough; SPSN-SB with the sigmoid).
 */
public record BernoulliSpikes() implements SpikeGenerator {

    @Override
    public NDArray spikes(NDArray p, NDArray threshold, NoiseSource noise) {
        return Firing.bernoulli(p, noise);
    }

    /** With a tape, the surrogate outside autograd (JavaBernoulli; CPU). */
    @Override
    public NDArray spikes(NDArray p, NDArray threshold, NoiseSource noise, BackwardTape tape,
                          SpikeTally tally) {
        return tape == null ? spikes(p, threshold, noise)
                : JavaBernoulli.apply(Normaliser.IDENTITY, p, noise, tape, tally);
    }

    /** With a tape, the normaliser's backward pass in the Java step's too. */
    @Override
    public NDArray spikes(Normaliser normaliser, NDArray mem, NDArray threshold, NoiseSource noise,
                          BackwardTape tape, SpikeTally tally) {
        return tape == null
                ? SpikeGenerator.super.spikes(normaliser, mem, threshold, noise, null, null)
                : JavaBernoulli.apply(normaliser, mem, noise, tape, tally);
    }

    @Override
    public boolean stochastic() {
        return true;
    }

    @Override
    public boolean usesThreshold() {
        return false;
    }
}
