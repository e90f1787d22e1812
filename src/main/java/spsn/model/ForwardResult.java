package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import spsn.neuron.BackwardTape;

import java.util.List;

/**
 * Output of a network pass, and the way back through it. The output layer runs on demand: the
 * full output for {@link #output()}, or only the weighted sum over time that a loss needs
 * ({@link #meanOverTime()}, {@link #lastStep()}, see OutputLayer), with the parameters as they are
 * when asked: ask before an optimizer step, and inside the gradient collector when training.
 */
public final class ForwardResult {

    private final Readout readout;
    private final List<LayerFiring> firing;
    private final List<LayerFiring> recurrentFiring;
    private final BackwardTape tape;
    private NDArray output;
    private NDArray mean;
    private NDArray last;

    ForwardResult(Readout readout, Pass pass) {
        this.readout = readout;
        this.firing = pass.firing();
        this.recurrentFiring = pass.recurrentFiring();
        this.tape = pass.tape();
    }

    /** Output of the output layer at every real step, [B, T, classes]. */
    public NDArray output() {
        if (output == null) {
            output = readout.output();
        }
        return output;
    }

    /** The output's mean over time, [B, classes], without computing every step. */
    public NDArray meanOverTime() {
        if (mean == null) {
            mean = readout.meanOverTime();
        }
        return mean;
    }

    /** The output at the last step, [B, classes], without computing every step. */
    public NDArray lastStep() {
        if (last == null) {
            last = readout.lastStep();
        }
        return last;
    }

    /**
     * Per firing layer, the firing rate of each neuron (mean over batch and time), in the graph:
     * what a regulariser needs (reduced when first asked).
     */
    public List<NDArray> rates() {
        return firing.stream().map(LayerFiring::rates).toList();
    }

    /** Per recurrent, spike-fed layer, the firing rate of its recurrent state (ParaLIF's nb_spike_per_neuron_rec). */
    public List<NDArray> recurrentRates() {
        return recurrentFiring.stream().map(LayerFiring::rates).toList();
    }

    /** Per firing layer, Σ_neurons rate: the original's spike count of one batch, as a number. */
    public double[] layerSpikes() {
        return firing.stream().mapToDouble(LayerFiring::sumOfRates).toArray();
    }

    /** Per recurrent, spike-fed layer, Σ_neurons rate of its recurrent state. */
    public double[] recurrentSpikes() {
        return recurrentFiring.stream().mapToDouble(LayerFiring::sumOfRates).toArray();
    }

    /**
     * The backward pass from {@code loss}: autograd, then the backward passes of the steps Java
     * computed (the first layer on a spike list, the Java integration), which autograd does not
     * see (see spsn.neuron.BackwardTape). Use this rather than the collector alone, or those layers
     * would not learn; in the tool, spsn.train.TrainStep is its one caller (training, testing and
     * the bench all step through it).
     */
    public void backward(GradientCollector collector, NDArray loss) {
        collector.backward(loss);
        tape.backward(collector);
    }
}
