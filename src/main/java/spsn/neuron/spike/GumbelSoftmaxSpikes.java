package spsn.neuron.spike;

import ai.djl.ndarray.NDArray;
import spsn.neuron.BackwardTape;
import spsn.neuron.Firing;
import spsn.neuron.NoiseSource;
import spsn.neuron.SpikeTally;

/**
 * Hard Gumbel-softmax over the logits (n, -n) at temperature 1, straight through: fires with
 * probability sigmoid(2n), gradient of the soft sample (ParaLIF's GumbelSoftmax; SPSN-GS).
 */
public record GumbelSoftmaxSpikes() implements SpikeGenerator {

    @Override
    public NDArray spikes(NDArray normalised, NDArray threshold, NoiseSource noise) {
        try (NDArray logistic = noise.logistic(normalised.getManager(), normalised.getShape())) {
            return Firing.gumbelSoftmax(normalised, logistic);
        }
    }

    /** With a tape, one Java pass each way (JavaGumbelSoftmax; CPU). */
    @Override
    public NDArray spikes(NDArray normalised, NDArray threshold, NoiseSource noise, BackwardTape tape,
                          SpikeTally tally) {
        return tape == null ? spikes(normalised, threshold, noise)
                : JavaGumbelSoftmax.apply(normalised, noise, tape, tally);
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
