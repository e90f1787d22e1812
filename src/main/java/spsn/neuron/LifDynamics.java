package spsn.neuron;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import spsn.neuron.spike.Surrogate;

import java.util.function.UnaryOperator;

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
        LifOutput out = fireTimeMajor(x.transpose(1, 0, 2), decay);
        return new LifOutput(out.spikes().transpose(1, 0, 2), out.membrane().transpose(1, 0, 2));
    }

    /** Runs a firing layer on input currents of shape [T, B, H]; outputs are [T, B, H]. */
    public static LifOutput fireTimeMajor(NDArray x, Decay decay) {
        return run(x, synapse(decay, x.getManager()), decay, true);
    }

    /**
     * Spikes only, for input [T, B, H] (skips assembling the membrane history). {@code synapse}
     * comes from {@link #synapse} and may be kept for many calls.
     */
    public static NDArray spikesTimeMajor(NDArray x, LeakyIntegrator synapse, Decay decay) {
        return run(x, synapse, decay, false).spikes();
    }

    /**
     * The integrator of the synaptic current alone (a leaky integrator with beta = 0, whose
     * "membrane" is the synaptic current). It holds matrices that autograd keeps for the backward
     * pass: it must stay open until the gradients are computed, so it belongs to {@code manager}.
     */
    public static LeakyIntegrator synapse(Decay decay, NDManager manager) {
        return new LeakyIntegrator(new Decay(decay.alpha(), 0f), manager);
    }

    /**
     * The general LIF layer on currents [T, B, H]: factors and threshold as tensors (scalars
     * made with {@link Scalars}, or learnable ones in the graph), spikes with {@code surrogate}'s
     * gradient. {@code synapticCurrent} is the integrated synaptic current alpha-leak of x (no
     * reset, so all steps at once).
     */
    public static NDArray spikesTimeMajor(NDArray synapticCurrent, NDArray beta, NDArray oneMinusBeta,
                                          NDArray threshold, Surrogate surrogate) {
        return run(synapticCurrent, beta, oneMinusBeta, threshold, surrogate, false).spikes();
    }

    private static LifOutput run(NDArray x, LeakyIntegrator synapse, Decay decay, boolean keepMembrane) {
        try (NDArray syn = synapse.integrateTimeMajor(x)) {
            return run(syn, Scalars.of(x, decay.beta()), Scalars.of(x, 1f - decay.beta()), Scalars.of(x, THRESHOLD),
                    Surrogate.DEFAULT, keepMembrane);
        }
    }

    /**
     * The synaptic current has no reset, so it is integrated for all steps at once; only the
     * membrane, whose reset depends on the spikes, runs step by step, with as few ops per step as
     * possible. The spike values of the loop are detached (they only drive the reset); the
     * differentiable spikes come from one heaviside over all pre-reset membranes afterwards,
     * which has the same values and the surrogate gradient.
     */
    private static LifOutput run(NDArray syn, NDArray beta, NDArray oneMinusBeta, NDArray threshold,
                                 Surrogate surrogate, boolean keepMembrane) {
        int steps = (int) syn.getShape().get(0);
        NDArray[] beforeReset = new NDArray[steps];
        NDArray[] afterReset = new NDArray[steps];
        try (TempArrays tmp = new TempArrays()) {
            NDArray drive = tmp.add(syn.mul(oneMinusBeta));
            // time first: every step is a contiguous [1, B, H] block
            NDList drives = drive.split(steps, 0);
            NDArray mem = null;
            for (int t = 0; t < steps; t++) {
                NDArray current = tmp.add(drives.get(t));
                NDArray pre = mem == null ? current : tmp.add(tmp.add(mem.mul(beta)).add(current));
                NDArray silent = tmp.add(tmp.add(pre.lte(threshold)).toType(DataType.FLOAT32, false));
                mem = tmp.add(pre.mul(silent));
                beforeReset[t] = pre;
                afterReset[t] = mem;
            }
            NDArray pre = tmp.add(NDArrays.concat(new NDList(beforeReset), 0));
            NDArray spikes = surrogate.heaviside(tmp.add(pre.sub(threshold)));
            NDArray membrane = keepMembrane ? NDArrays.concat(new NDList(afterReset), 0) : null;
            return new LifOutput(spikes, membrane);
        }
    }

    /**
     * Recurrent LIF (ParaLIF's lif.py with --recurrent): the synaptic current takes the recurrent
     * map of the previous step's output, I_t = alpha I_{t-1} + X_t + R(s_{t-1}) (or R(relu(V_{t-1}))
     * with {@code relu}), so everything runs step by step. Spikes keep their surrogate gradient
     * through R; the reset uses them detached. x is [T, B, H]; factors are tensors.
     */
    public static NDArray recurrentSpikesTimeMajor(NDArray x, NDArray alpha, NDArray beta, NDArray oneMinusBeta,
                                                   NDArray threshold, Surrogate surrogate,
                                                   UnaryOperator<NDArray> recurrentMap, boolean relu) {
        int steps = (int) x.getShape().get(0);
        NDArray[] spikes = new NDArray[steps];
        try (TempArrays tmp = new TempArrays()) {
            NDList inputs = x.split(steps, 0);
            NDArray syn = null;
            NDArray mem = null;
            NDArray fed = tmp.add(inputs.get(0).zerosLike());
            for (int t = 0; t < steps; t++) {
                NDArray input = tmp.add(inputs.get(t));
                NDArray drive = tmp.add(input.add(tmp.add(recurrentMap.apply(fed))));
                syn = syn == null ? drive : tmp.add(tmp.add(syn.mul(alpha)).add(drive));
                NDArray charge = tmp.add(syn.mul(oneMinusBeta));
                NDArray pre = mem == null ? charge : tmp.add(tmp.add(mem.mul(beta)).add(charge));
                NDArray spike = tmp.add(surrogate.heaviside(tmp.add(pre.sub(threshold))));
                NDArray kept = tmp.add(tmp.add(spike.stopGradient()).neg().add(1f));
                mem = tmp.add(pre.mul(kept));
                fed = relu ? tmp.add(mem.getNDArrayInternal().relu()) : spike;
                spikes[t] = spike;
            }
            return NDArrays.concat(new NDList(spikes), 0);
        }
    }

    /**
     * Membrane of a non-firing layer for input [B, T, H]: the integrations without reset. The
     * integrator's matrices live in x's manager, as long as autograd may need them.
     */
    public static NDArray integrate(NDArray x, Decay decay) {
        return new LeakyIntegrator(decay, x.getManager()).integrate(x);
    }
}
