package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import spsn.neuron.BackwardTape;
import spsn.neuron.Decay;
import spsn.neuron.DecayFactors;
import spsn.neuron.LeakyIntegrator;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A neuron layer's own tensors beside its Linear map, named as ParaLIF's {@code Base} names them:
 * the threshold {@code _spk_threshold}, the decay factors {@code _alpha}, {@code _beta}, the
 * recurrent map {@code fc_recu} and the spike-count buffers. Each is a parameter when it learns,
 * a buffer otherwise (ParaLIF's keys for its family; SPSN's family keeps only what it learns).
 *
 * <p>Learnable time constants follow ParaLIF: {@code _alpha} and {@code _beta} start at the decay
 * factors themselves, exp(-dt/tau), and the factors used are their sigmoids (a PLIF-style clamp
 * into (0, 1)). So beta starts at sigmoid(0.951) = 0.721, an effective tau of ~3 ms instead of
 * 20 ms: ParaLIF's code does this, and so does this port.
 *
 * <p>Per neuron ({@code --per_neuron}, ParaLIF's list form): the threshold and both decays are
 * [size] tensors, broadcast over the neuron axis; the integration then reads the decays from
 * these tensors (fixed or learnable) instead of the network's shared integrator.
 */
final class NeuronParameters {

    private final NDArray threshold;
    private final boolean learnThreshold;
    private final NDArray alpha;
    private final NDArray beta;
    private final boolean learnTau;
    private final boolean perNeuron;
    private final LeakyIntegrator integrator;
    private final Dense recurrent;
    private final NDArray spikeCounts;
    private final NDArray recurrentSpikeCounts;
    private final boolean thresholdUsed;

    private NeuronParameters(NDArray threshold, boolean learnThreshold, NDArray alpha, NDArray beta, boolean learnTau,
                             LeakyIntegrator integrator, Dense recurrent, NDArray spikeCounts,
                             NDArray recurrentSpikeCounts, boolean thresholdUsed) {
        this.threshold = threshold;
        this.learnThreshold = learnThreshold;
        this.alpha = alpha;
        this.beta = beta;
        this.learnTau = learnTau;
        this.perNeuron = alpha.getShape().dimension() > 0;
        this.integrator = integrator;
        this.recurrent = recurrent;
        this.spikeCounts = spikeCounts;
        this.recurrentSpikeCounts = recurrentSpikeCounts;
        this.thresholdUsed = thresholdUsed;
        if (learnThreshold && thresholdUsed) {
            threshold.setRequiresGradient(true);
        }
        if (learnTau) {
            alpha.setRequiresGradient(true);
            beta.setRequiresGradient(true);
        }
    }

    /**
     * The tensors of a layer of {@code size} neurons. {@code firing}: a hidden layer (the output
     * layer integrates only: its threshold never enters, and it is never recurrent);
     * {@code integrator}: the network's shared integrator for fixed time constants.
     */
    static NeuronParameters create(NDManager manager, NetworkConfig config, int size, boolean firing,
                                   LeakyIntegrator integrator, Random random) {
        NeuronOptions options = config.options();
        Decay decay = config.decay();
        boolean sequentialKeys = config.neuron().family().sequentialKeys();
        Dense recurrent = firing && options.recurrent() ? Dense.kaimingUniform(manager, size, size, random) : null;
        boolean countsRecurrent = sequentialKeys && config.neuron().dynamics() == NeuronType.Dynamics.PARALLEL;
        // 0-d: one per layer; [size]: one per neuron, all starting at the layer's value
        Shape shape = options.perNeuron() ? new Shape(size) : new Shape();
        return new NeuronParameters(
                manager.full(shape, (float) options.threshold(config.neuron())),
                config.learnsThreshold(),
                manager.full(shape, decay.alpha()), manager.full(shape, decay.beta()), options.learnTau(),
                options.learnTau() || options.perNeuron() ? null : integrator, recurrent,
                sequentialKeys ? manager.zeros(new Shape(size)) : null,
                countsRecurrent ? manager.zeros(new Shape(size)) : null, firing && config.neuron().usesThreshold());
    }

    /** The threshold used: relu(_spk_threshold) when it learns, owned by {@code like}'s manager. */
    NDArray threshold(NDArray like) {
        return threshold(like, null);
    }

    /**
     * The same; with the Java integration's {@code tape}, a learnt threshold is a boundary of the
     * backward passes (BackwardTape#cut): it enters spikes on both sides of a Java step.
     */
    NDArray threshold(NDArray like, BackwardTape tape) {
        if (!learnThreshold) {
            return threshold;
        }
        NDArray clamped = threshold.getNDArrayInternal().relu();
        clamped.attach(like.getManager());
        return boundary(clamped, tape);
    }

    /** {@code value} made a boundary on {@code tape} (taken over), or itself without a tape. */
    private static NDArray boundary(NDArray value, BackwardTape tape) {
        if (tape == null) {
            return value;
        }
        NDArray cut = tape.cut(value);
        value.close();
        return cut;
    }

    /** Whether the threshold is a fixed number (then {@link #fixedThreshold()} holds it). */
    boolean fixedThresholdOnly() {
        return !learnThreshold;
    }

    float fixedThreshold() {
        return threshold.getFloat();
    }

    boolean learnsTau() {
        return learnTau;
    }

    /** Whether every neuron decays by the same fixed factors (then {@link #decay()} holds them). */
    boolean sharedFixedDecay() {
        return !learnTau && !perNeuron;
    }

    /** The decay factors as they are now (after the sigmoid when they learn); shared ones only. */
    Decay decay() {
        if (perNeuron) {
            throw new IllegalStateException("per-neuron decays are tensors, not one Decay");
        }
        if (!learnTau) {
            return integrator.decay();
        }
        return new Decay(sigmoid(alpha.getFloat()), sigmoid(beta.getFloat()));
    }

    private static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    /** sigmoid(alpha), sigmoid(beta) in the graph (learnable only; 0-d or [H]), owned by {@code like}'s manager. */
    NDArray[] decayTensors(NDArray like) {
        return decayTensors(like, null);
    }

    /** The same, boundaries on {@code tape} when given (see {@link #threshold(NDArray, BackwardTape)}). */
    NDArray[] decayTensors(NDArray like, BackwardTape tape) {
        NDArray a = alpha.getNDArrayInternal().sigmoid();
        NDArray b = beta.getNDArrayInternal().sigmoid();
        a.attach(like.getManager());
        b.attach(like.getManager());
        return new NDArray[] {boundary(a, tape), boundary(b, tape)};
    }

    /**
     * The membrane without reset for currents [T, ...]: the causal integration of both leaks, by
     * the Java recurrence with {@code tape} (see LeakyIntegrator), by the engine without. Shared
     * fixed decays use the network's integrator (its matrices cached); learnable or per-neuron ones
     * enter as tensors (0-d or [H]).
     */
    NDArray integrate(NDArray x, BackwardTape tape) {
        if (sharedFixedDecay()) {
            return integrator.integrateTimeMajor(x, tape);
        }
        if (!learnTau) {
            return LeakyIntegrator.integrateTimeMajor(x, alpha, beta, tape);
        }
        NDArray[] ab = decayTensors(x);
        return LeakyIntegrator.integrateTimeMajor(x, ab[0], ab[1], tape);
    }

    /**
     * The decay factors as the Java recurrence takes them, the same ones {@link #integrate} uses
     * with a tape: learnable ones as new tensors in the graph, owned by {@code like}'s manager.
     */
    DecayFactors javaDecays(NDArray like) {
        if (sharedFixedDecay()) {
            return DecayFactors.fixed(integrator.decay());
        }
        if (!learnTau) {
            return DecayFactors.fixed(alpha, beta);
        }
        NDArray[] ab = decayTensors(like);
        return DecayFactors.learning(ab[0], ab[1]);
    }

    /** The recurrent map fc_recu, or null for a feed-forward layer. */
    Dense recurrent() {
        return recurrent;
    }

    /**
     * The layer's own state_dict entries in PyTorch's order: parameters, then buffers, then
     * fc_recu. In SPSN's family only what learns is saved (SPSN's original saves no buffers).
     */
    List<NamedTensor> tensors() {
        boolean buffers = spikeCounts != null;
        boolean thresholdParameter = learnThreshold && buffers;
        List<NamedTensor> out = new ArrayList<>();
        if (thresholdParameter) {
            // a Parameter in ParaLIF even where it never enters (stochastic spikes, the output
            // layer): it gets no gradient there, so the optimizer leaves it alone
            out.add(new NamedTensor("_spk_threshold", threshold, thresholdUsed));
        }
        if (learnTau) {
            out.add(new NamedTensor("_alpha", alpha, true));
            out.add(new NamedTensor("_beta", beta, true));
        }
        if (buffers) {
            out.add(new NamedTensor("nb_spike_per_neuron", spikeCounts, false));
            if (!thresholdParameter) {
                out.add(new NamedTensor("_spk_threshold", threshold, false));
            }
            if (!learnTau) {
                out.add(new NamedTensor("_alpha", alpha, false));
                out.add(new NamedTensor("_beta", beta, false));
            }
            if (recurrentSpikeCounts != null) {
                out.add(new NamedTensor("nb_spike_per_neuron_rec", recurrentSpikeCounts, false));
            }
        } else if (learnThreshold && thresholdUsed) {
            out.add(new NamedTensor("_spk_threshold", threshold, true));
        }
        if (recurrent != null) {
            out.add(new NamedTensor("fc_recu.weight", recurrent.weight(), true));
            out.add(new NamedTensor("fc_recu.bias", recurrent.bias(), true));
        }
        return out;
    }

    /** The spike-count buffers (mean spikes per neuron of the last pass), null where not kept. */
    NDArray spikeCounts() {
        return spikeCounts;
    }

    NDArray recurrentSpikeCounts() {
        return recurrentSpikeCounts;
    }
}
