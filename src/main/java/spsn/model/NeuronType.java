package spsn.model;

import spsn.SpsnException;
import spsn.neuron.spike.BernoulliSpikes;
import spsn.neuron.spike.DeltaSpikes;
import spsn.neuron.spike.EscapeNoiseSpikes;
import spsn.neuron.spike.GumbelSoftmaxSpikes;
import spsn.neuron.spike.Normaliser;
import spsn.neuron.spike.SpikeFunction;
import spsn.neuron.spike.SpikeGenerator;
import spsn.neuron.spike.Surrogate;
import spsn.neuron.spike.ThresholdSpikes;

import java.util.Arrays;
import java.util.Iterator;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The registry of neurons, by their command-line names: what each one is made of (dynamics,
 * spike function = normaliser then generator), where it comes from (its {@link NeuronFamily}),
 * and what it can do. The CLI, model files, the trainer and the report ask this, never a name.
 * A new spike mode is one line here (see docs/ADDING-A-NEURON.md).
 */
public enum NeuronType {
    LIF("LIF", NeuronFamily.SPSN, Dynamics.LIF, null, null,
            "SPSN's leaky integrate-and-fire: sequential, hard reset, threshold 1"),
    SPSN_SB("SPSN-SB", NeuronFamily.SPSN, Dynamics.PARALLEL, Normaliser.SIGMOID, s -> new BernoulliSpikes(),
            "stochastic parallelizable: sigmoid, Bernoulli spikes"),
    SPSN_GS("SPSN-GS", NeuronFamily.SPSN, Dynamics.PARALLEL, Normaliser.IDENTITY, s -> new GumbelSoftmaxSpikes(),
            "stochastic parallelizable: hard Gumbel-softmax spikes"),
    NON_SPIKING("Non-Spiking", NeuronFamily.SPSN, Dynamics.RELU, null, null, "Linear then ReLU, no time dynamics"),
    LIF_LT("LIF-LT", NeuronFamily.PARALIF, Dynamics.LIF, null, null, "ParaLIF's LIF with a learnable threshold"),
    PARALIF_GS("ParaLIF-GS", NeuronFamily.PARALIF, Dynamics.PARALLEL, Normaliser.IDENTITY,
            s -> new GumbelSoftmaxSpikes(), "ParaLIF, Gumbel-softmax spikes"),
    PARALIF_SB("ParaLIF-SB", NeuronFamily.PARALIF, Dynamics.PARALLEL, Normaliser.SIGMOID, s -> new BernoulliSpikes(),
            "ParaLIF, sigmoid then Bernoulli spikes"),
    PARALIF_TRB("ParaLIF-TRB", NeuronFamily.PARALIF, Dynamics.PARALLEL, Normaliser.RELU_TANH,
            s -> new BernoulliSpikes(), "ParaLIF, relu(tanh) then Bernoulli spikes"),
    PARALIF_D("ParaLIF-D", NeuronFamily.PARALIF, Dynamics.PARALLEL, Normaliser.IDENTITY, DeltaSpikes::new,
            "ParaLIF, delta spikes (rise above the threshold)"),
    PARALIF_SD("ParaLIF-SD", NeuronFamily.PARALIF, Dynamics.PARALLEL, Normaliser.SIGMOID, DeltaSpikes::new,
            "ParaLIF, sigmoid then delta spikes"),
    PARALIF_TD("ParaLIF-TD", NeuronFamily.PARALIF, Dynamics.PARALLEL, Normaliser.TANH, DeltaSpikes::new,
            "ParaLIF, tanh then delta spikes"),
    PARALIF_TRD("ParaLIF-TRD", NeuronFamily.PARALIF, Dynamics.PARALLEL, Normaliser.RELU_TANH, DeltaSpikes::new,
            "ParaLIF, relu(tanh) then delta spikes"),
    PARALIF_T("ParaLIF-T", NeuronFamily.PARALIF, Dynamics.PARALLEL, Normaliser.IDENTITY, ThresholdSpikes::new,
            "ParaLIF, threshold spikes"),
    PARALIF_ST("ParaLIF-ST", NeuronFamily.PARALIF, Dynamics.PARALLEL, Normaliser.SIGMOID, ThresholdSpikes::new,
            "ParaLIF, sigmoid then threshold spikes"),
    PARALIF_TT("ParaLIF-TT", NeuronFamily.PARALIF, Dynamics.PARALLEL, Normaliser.TANH, ThresholdSpikes::new,
            "ParaLIF, tanh then threshold spikes"),
    PARALIF_TRT("ParaLIF-TRT", NeuronFamily.PARALIF, Dynamics.PARALLEL, Normaliser.RELU_TANH, ThresholdSpikes::new,
            "ParaLIF, relu(tanh) then threshold spikes"),
    PARALIF_NT("ParaLIF-NT", NeuronFamily.PARALIF, Dynamics.PARALLEL, Normaliser.IDENTITY, EscapeNoiseSpikes::new,
            "not from ParaLIF (this port's): threshold spikes with logistic escape noise, P = sigmoid(V - theta)");

    /** How a layer of the neuron runs in time. */
    public enum Dynamics {
        /** Sequential integrate-and-fire with reset (LifLayer). */
        LIF,
        /** No reset: integrated for all steps at once, then a spike function (ParallelLayer). */
        PARALLEL,
        /** No time dynamics at all: step t depends on input step t alone (ReluLayer). */
        RELU
    }

    private final String cliName;
    private final NeuronFamily family;
    private final Dynamics dynamics;
    private final Normaliser normaliser;
    private final Function<Surrogate, SpikeGenerator> generator;
    private final String help;

    NeuronType(String cliName, NeuronFamily family, Dynamics dynamics, Normaliser normaliser,
               Function<Surrogate, SpikeGenerator> generator, String help) {
        this.cliName = cliName;
        this.family = family;
        this.dynamics = dynamics;
        this.normaliser = normaliser;
        this.generator = generator;
        this.help = help;
    }

    public String cliName() {
        return cliName;
    }

    public NeuronFamily family() {
        return family;
    }

    public Dynamics dynamics() {
        return dynamics;
    }

    /** One line for --help and the report. */
    public String help() {
        return help;
    }

    /** Whether hidden layers emit spikes (and so report firing rates). */
    public boolean spiking() {
        return dynamics != Dynamics.RELU;
    }

    /** Whether step t depends on input step t alone (the network may then skip empty bins). */
    public boolean stepLocal() {
        return dynamics == Dynamics.RELU;
    }

    /** Whether the time axis is integrated by chunks, and so padded to whole chunks. */
    public boolean needsTimePadding() {
        return dynamics != Dynamics.RELU;
    }

    /** Whether spikes are drawn at random (the neuron uses the noise). */
    public boolean stochastic() {
        return generator != null && generator.apply(Surrogate.DEFAULT).stochastic();
    }

    /** Whether the neuron has a firing threshold (LIF, delta and threshold spikes). */
    public boolean usesThreshold() {
        return dynamics == Dynamics.LIF || (generator != null && generator.apply(Surrogate.DEFAULT).usesThreshold());
    }

    /** Whether a --surrogate applies (a Heaviside step with a surrogate gradient). */
    public boolean usesSurrogate() {
        return usesThreshold();
    }

    /** ParaLIF's default threshold: 0.1 for delta spikes, 1.0 otherwise (examples/basic/network.py). */
    public double defaultThreshold() {
        return generator != null && generator.apply(Surrogate.DEFAULT) instanceof DeltaSpikes ? 0.1 : 1.0;
    }

    /** The spike function of a parallel neuron, with {@code surrogate} where it has a step. */
    public SpikeFunction spikeFunction(Surrogate surrogate) {
        if (dynamics != Dynamics.PARALLEL) {
            throw new IllegalStateException(cliName + " has no spike function of its own");
        }
        return new SpikeFunction(normaliser, generator.apply(surrogate));
    }

    /** The neuron named {@code name} in any case ("spsn-sb" is SPSN-SB); it keeps its canonical spelling. */
    public static NeuronType fromCliName(String name) {
        for (NeuronType type : values()) {
            if (type.cliName.equalsIgnoreCase(name)) {
                return type;
            }
        }
        throw SpsnException.usage("--neuron: unknown neuron '" + name + "'; choose one of " + names());
    }

    /** The neuron named {@code name}, or null. */
    public static NeuronType byName(String name) {
        for (NeuronType type : values()) {
            if (type.cliName.equals(name)) {
                return type;
            }
        }
        return null;
    }

    public static String names() {
        return Arrays.stream(values()).map(NeuronType::cliName).collect(Collectors.joining(", "));
    }

    /** The names, for picocli's completion candidates and ${COMPLETION-CANDIDATES}. */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(values()).map(NeuronType::cliName).iterator();
        }
    }

    @Override
    public String toString() {
        return cliName;
    }
}
