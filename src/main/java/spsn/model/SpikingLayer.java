package spsn.model;

import ai.djl.ndarray.NDArray;
import spsn.neuron.Firing;
import spsn.neuron.LeakyIntegrator;
import spsn.neuron.LifDynamics;
import spsn.neuron.NoiseSource;
import spsn.neuron.TempArrays;

/**
 * A hidden layer of spiking neurons: a Linear map followed by LIF or SPSN dynamics. It returns
 * spikes and records its firing rate.
 */
final class SpikingLayer implements Layer {

    private final Dense dense;
    private final NeuronType neuron;
    private final LeakyIntegrator integrator;
    private final LeakyIntegrator synapse;

    /** {@code synapse}: the LIF synaptic-current integrator (see LifDynamics.synapse). */
    SpikingLayer(Dense dense, NeuronType neuron, LeakyIntegrator integrator, LeakyIntegrator synapse) {
        this.dense = dense;
        this.neuron = neuron;
        this.integrator = integrator;
        this.synapse = synapse;
    }

    @Override
    public Dense dense() {
        return dense;
    }

    @Override
    public NDArray dynamics(NDArray current, Pass pass) {
        NDArray spikes = switch (neuron) {
            case LIF -> LifDynamics.spikesTimeMajor(current, synapse, integrator.decay());
            case SPSN_SB -> spsnSb(current, pass.noise());
            case SPSN_GS -> spsnGs(current, pass.noise());
            case NON_SPIKING -> throw new IllegalStateException("Non-Spiking layers do not fire");
        };
        try (TempArrays tmp = new TempArrays()) {
            // the engine reduces one axis at a time
            NDArray real = tmp.add(pass.realSteps(spikes));
            pass.rates().add(tmp.add(real.mean(new int[] {0})).mean(new int[] {0}));
        }
        return spikes;
    }

    private NDArray spsnSb(NDArray current, NoiseSource noise) {
        try (TempArrays tmp = new TempArrays()) {
            NDArray mem = tmp.add(integrator.integrateTimeMajor(current));
            return Firing.sigmoidBernoulli(mem, noise);
        }
    }

    private NDArray spsnGs(NDArray current, NoiseSource noise) {
        try (TempArrays tmp = new TempArrays()) {
            NDArray mem = tmp.add(integrator.integrateTimeMajor(current));
            return Firing.gumbelSoftmax(mem, tmp.add(noise.logistic(mem.getManager(), mem.getShape())));
        }
    }
}
