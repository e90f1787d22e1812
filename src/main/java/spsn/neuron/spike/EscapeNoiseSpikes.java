package spsn.neuron.spike;

import ai.djl.ndarray.NDArray;
import spsn.neuron.NoiseSource;
import spsn.neuron.TempArrays;

/**
 * s_t = H(n_t - theta + l_t), l_t standard logistic noise: a threshold with escape noise, so a
 * neuron fires with probability sigmoid(n_t - theta) and the (learnable) threshold still sets its
 * rate, which Bernoulli and Gumbel-softmax spikes ignore; the gradient is the surrogate's at the
 * noisy distance. Not one of ParaLIF's generators (this port's ParaLIF-NT). The noise is one
 * {@link NoiseSource#logistic} draw per call, as Gumbel-softmax spikes draw.
 */
public record EscapeNoiseSpikes(Surrogate surrogate) implements SpikeGenerator {

    @Override
    public NDArray spikes(NDArray normalised, NDArray threshold, NoiseSource noise) {
        try (TempArrays tmp = new TempArrays()) {
            NDArray logistic = tmp.add(noise.logistic(normalised.getManager(), normalised.getShape()));
            NDArray above = tmp.add(normalised.sub(threshold));
            return surrogate.heaviside(tmp.add(above.add(logistic)));
        }
    }

    @Override
    public boolean stochastic() {
        return true;
    }

    @Override
    public boolean usesThreshold() {
        return true;
    }
}
