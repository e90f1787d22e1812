package spsn.model;

import ai.djl.ndarray.NDArray;
import spsn.neuron.BackwardTape;
import spsn.neuron.DecayFactors;
import spsn.neuron.NoiseSource;
import spsn.neuron.ParallelDynamics;
import spsn.neuron.SpikeTally;
import spsn.neuron.TempArrays;
import spsn.neuron.spike.SpikeFunction;

import java.util.List;
import java.util.function.Supplier;

/**
 * A hidden layer of parallel neurons (SPSN-SB, SPSN-GS and every ParaLIF mode): a Linear map,
 * then {@link ParallelDynamics} with this layer's parameters. It records its firing rates (and
 * its recurrent state's, when recurrent and spike-fed).
 */
final class ParallelLayer implements Layer {

    private final Dense dense;
    private final NeuronParameters parameters;
    private final SpikeFunction spike;
    private final boolean recurrentRelu;

    ParallelLayer(Dense dense, NeuronParameters parameters, SpikeFunction spike, boolean recurrentRelu) {
        this.dense = dense;
        this.parameters = parameters;
        this.spike = spike;
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
        Dense recurrent = parameters.recurrent();
        BackwardTape tape = pass.integrationTape();
        // with a tape a recurrent layer's two integrations run fused on the Java recurrence
        Supplier<DecayFactors> javaDecays = tape != null && recurrent != null ? () -> parameters.javaDecays(current) : null;
        NoiseSource noise = pass.noise();
        SpikeTally spikeTally = pass.spikeTally();
        SpikeTally stateTally = recurrent != null && !recurrentRelu ? pass.spikeTally() : null;
        ParallelDynamics.Layer layer = new ParallelDynamics.Layer(x -> membrane(parameters.integrate(x, tape), noise, tape),
                spike, spike.generator().usesThreshold() ? parameters.threshold(current, tape) : null,
                recurrent == null ? null : recurrent::apply, recurrentRelu, tape, javaDecays, spikeTally,
                stateTally);
        ParallelDynamics.Output out = ParallelDynamics.fire(current, layer, noise);
        if (out.recurrentSpikes() != null) {
            try (NDArray state = out.recurrentSpikes()) {
                pass.recordRecurrentState(state, stateTally);
            }
        }
        // the spikes feed the next layer and the rates
        NDArray spikes = pass.boundary(out.spikes());
        pass.recordSpikes(spikes, spikeTally);
        return spikes;
    }

    /**
     * The integrated membrane as the noise source gives it on (itself but for the bench's
     * yardstick, see NoiseSource#membrane); a changed one is made a boundary of the Java steps'
     * backward passes, since it feeds both of a recurrent layer's spike steps.
     */
    private static NDArray membrane(NDArray integrated, NoiseSource noise, BackwardTape tape) {
        // deterministic neurons may run without a noise source (NIR, evaluation): nothing moves then
        NDArray seen = noise == null ? integrated : noise.membrane(integrated);
        if (seen == integrated || tape == null) {
            return seen;
        }
        NDArray cut = tape.cut(seen);
        seen.close();
        return cut;
    }
}
