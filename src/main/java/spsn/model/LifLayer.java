package spsn.model;

import ai.djl.ndarray.NDArray;
import spsn.neuron.BackwardTape;
import spsn.neuron.Decay;
import spsn.neuron.LeakyIntegrator;
import spsn.neuron.LifDynamics;
import spsn.neuron.RecurrentLif;
import spsn.neuron.Scalars;
import spsn.neuron.SpikeTally;
import spsn.neuron.TempArrays;
import spsn.neuron.spike.Surrogate;

import java.util.List;

/**
 * A hidden layer of LIF neurons (SPSN's LIF, ParaLIF's LIF-LT): a Linear map, then the sequential
 * integrate-and-fire of {@link LifDynamics} with this layer's threshold and time constants, fed
 * back through fc_recu when recurrent. With the Java integration, a feed-forward layer runs as one
 * Java loop ({@link RecurrentLif}).
 */
final class LifLayer implements Layer {

    private final Dense dense;
    private final NeuronParameters parameters;
    private final LeakyIntegrator synapse;
    private final Surrogate surrogate;
    private final boolean recurrentRelu;

    /** {@code synapse}: the synaptic-current integrator for fixed time constants (LifDynamics.synapse). */
    LifLayer(Dense dense, NeuronParameters parameters, LeakyIntegrator synapse, Surrogate surrogate,
             boolean recurrentRelu) {
        this.dense = dense;
        this.parameters = parameters;
        this.synapse = synapse;
        this.surrogate = surrogate;
        this.recurrentRelu = recurrentRelu;
    }

    @Override
    public Dense dense() {
        return dense;
    }

    @Override
    public List<NamedTensor> neuronTensors() {
        return parameters.tensors();
    }

    @Override
    public NDArray dynamics(NDArray current, Pass pass) {
        NDArray spikes;
        BackwardTape tape = pass.integrationTape();
        Dense recurrent = parameters.recurrent();
        // the Java loop (feed-forward, with a tape) counts its spikes as it writes them
        SpikeTally tally = recurrent == null && tape != null ? pass.spikeTally() : null;
        try (TempArrays tmp = new TempArrays()) {
            NDArray threshold = parameters.fixedThresholdOnly()
                    ? Scalars.of(current, parameters.fixedThreshold()) : parameters.threshold(current, tape);
            NDArray alpha;
            NDArray beta;
            if (parameters.learnsTau()) {
                NDArray[] ab = parameters.decayTensors(current, tape);
                alpha = ab[0];
                beta = ab[1];
            } else {
                Decay decay = parameters.decay();
                alpha = Scalars.of(current, decay.alpha());
                beta = Scalars.of(current, decay.beta());
            }
            NDArray oneMinusBeta = parameters.learnsTau() ? tmp.add(tmp.add(beta.neg()).add(1f))
                    : Scalars.of(current, 1f - parameters.decay().beta());
            if (recurrent != null) {
                spikes = LifDynamics.recurrentSpikesTimeMajor(current, alpha, beta, oneMinusBeta, threshold, surrogate,
                        recurrent::apply, recurrentRelu);
            } else if (tape != null) {
                // the whole neuron in one Java loop per direction instead of ops per step
                Decay decay = parameters.decay();
                spikes = RecurrentLif.spikes(current,
                        parameters.learnsTau() ? RecurrentLif.Factor.learnt(alpha) : RecurrentLif.Factor.fixed(decay.alpha()),
                        parameters.learnsTau() ? RecurrentLif.Factor.learnt(beta) : RecurrentLif.Factor.fixed(decay.beta()),
                        parameters.fixedThresholdOnly() ? RecurrentLif.Factor.fixed(parameters.fixedThreshold())
                                : RecurrentLif.Factor.learnt(threshold), surrogate, tape, tally);
            } else {
                NDArray syn = tmp.add(parameters.learnsTau()
                        ? LeakyIntegrator.integrateTimeMajor(current, alpha, Scalars.of(current, 0f), tape)
                        : synapse.integrateTimeMajor(current, tape));
                spikes = LifDynamics.spikesTimeMajor(syn, beta, oneMinusBeta, threshold, surrogate);
            }
        }
        // the spikes feed the next layer and the rates
        spikes = pass.boundary(spikes);
        pass.recordSpikes(spikes, tally);
        return spikes;
    }
}
