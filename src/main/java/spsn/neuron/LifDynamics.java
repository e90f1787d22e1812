package spsn.neuron;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * The sequential leaky integrate-and-fire neuron with reset:
 * syn_t = alpha*syn_{t-1} + X_t; mem_t = beta*mem_{t-1} + (1-beta)*syn_t; spk_t = H(mem_t - 1);
 * mem_t = mem_t*(1 - spk_t) with the spike detached in the reset.
 *
 * <p>The time axis is split once into steps. Indexing one step per iteration would make the
 * backward pass allocate a full-size zero gradient per step, quadratic in T.
 */
public final class LifDynamics {

    /** Firing threshold of the membrane potential. */
    public static final float THRESHOLD = 1f;

    private LifDynamics() {
    }

    /** Runs a firing layer on input currents of shape [B, T, H]; outputs are [B, T, H]. */
    public static LifOutput fire(NDArray x, Decay decay) {
        LifOutput out = fireTimeLast(x.transpose(0, 2, 1), decay);
        return new LifOutput(out.spikes().transpose(0, 2, 1), out.membrane().transpose(0, 2, 1));
    }

    /** Runs a firing layer on input currents of shape [B, H, T]; outputs are [B, H, T]. */
    public static LifOutput fireTimeLast(NDArray x, Decay decay) {
        int steps = (int) x.getShape().get(2);
        NDList inputs = x.transpose(2, 0, 1).split(steps, 0);
        NDArray[] spikes = new NDArray[steps];
        NDArray[] membranes = new NDArray[steps];
        NDArray alpha = Scalars.of(x, decay.alpha());
        NDArray beta = Scalars.of(x, decay.beta());
        NDArray gain = Scalars.of(x, 1f - decay.beta());
        NDArray syn = null;
        NDArray mem = null;
        for (int t = 0; t < steps; t++) {
            NDArray current = inputs.get(t);
            syn = syn == null ? current : syn.mul(alpha).add(current);
            NDArray drive = syn.mul(gain);
            mem = mem == null ? drive : mem.mul(beta).add(drive);
            NDArray spk = Firing.heaviside(mem.sub(THRESHOLD));
            mem = mem.sub(mem.mul(spk.stopGradient()));
            spikes[t] = spk;
            membranes[t] = mem;
        }
        return new LifOutput(
                NDArrays.concat(new NDList(spikes), 0).transpose(1, 2, 0),
                NDArrays.concat(new NDList(membranes), 0).transpose(1, 2, 0));
    }

    /** Membrane of a non-firing layer for input [B, T, H]: the integrations without reset. */
    public static NDArray integrate(NDArray x, Decay decay) {
        try (LeakyIntegrator integrator = new LeakyIntegrator(decay, x.getManager())) {
            return integrator.integrate(x);
        }
    }
}
