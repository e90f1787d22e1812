package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import spsn.neuron.Firing;
import spsn.neuron.LeakyIntegrator;
import spsn.neuron.LifDynamics;
import spsn.neuron.NoiseSource;

import java.util.List;

/**
 * A Linear map followed by LIF or SPSN dynamics. A non-firing layer (the output layer) returns
 * its membrane potential; a firing one returns spikes and records its firing rate.
 */
final class SpikingLayer implements Layer {

    private final Dense dense;
    private final NeuronType neuron;
    private final LeakyIntegrator integrator;
    private final boolean fires;

    SpikingLayer(Dense dense, NeuronType neuron, LeakyIntegrator integrator, boolean fires) {
        this.dense = dense;
        this.neuron = neuron;
        this.integrator = integrator;
        this.fires = fires;
    }

    @Override
    public Dense dense() {
        return dense;
    }

    @Override
    public NDArray dynamics(NDArray current, NoiseSource noise, List<NDArray> rates) {
        if (!fires) {
            return integrator.integrateTimeLast(current);
        }
        NDArray spikes = switch (neuron) {
            case LIF -> LifDynamics.fireTimeLast(current, integrator.decay()).spikes();
            case SPSN_SB -> spsnSb(integrator.integrateTimeLast(current), noise);
            case SPSN_GS -> spsnGs(integrator.integrateTimeLast(current), noise);
            case NON_SPIKING -> throw new IllegalStateException("Non-Spiking layers do not fire");
        };
        rates.add(spikes.mean(new int[] {2}).mean(new int[] {0})); // the engine reduces one axis at a time
        return spikes;
    }

    private static NDArray spsnSb(NDArray mem, NoiseSource noise) {
        return Firing.sigmoidBernoulli(mem, noise.uniform(mem.getManager(), mem.getShape()));
    }

    private static NDArray spsnGs(NDArray mem, NoiseSource noise) {
        Shape shape = mem.getShape();
        NDArray u0 = noise.uniform(mem.getManager(), shape);
        NDArray u1 = noise.uniform(mem.getManager(), shape);
        return Firing.gumbelSoftmax(mem, u0, u1);
    }
}
