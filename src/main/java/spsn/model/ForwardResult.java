package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;

import java.util.List;

/** Output of a network pass, and the way back through it. */
public final class ForwardResult {

    private final NDArray output;
    private final List<NDArray> rates;
    private final SpikeProjection spikeInput;

    ForwardResult(NDArray output, List<NDArray> rates, SpikeProjection spikeInput) {
        this.output = output;
        this.rates = rates;
        this.spikeInput = spikeInput;
    }

    /** Membrane potential of the output layer, [B, T, classes]. */
    public NDArray output() {
        return output;
    }

    /** Per firing layer, the firing rate of each neuron (mean over batch and time). */
    public List<NDArray> rates() {
        return rates;
    }

    /**
     * The backward pass from {@code loss}: autograd, then the gradient of a first layer computed
     * from a spike list, which autograd does not see (see SpikeProjection). Use this rather than
     * the collector alone, or that layer would not learn.
     */
    public void backward(GradientCollector collector, NDArray loss) {
        collector.backward(loss);
        if (spikeInput != null) {
            spikeInput.backward(collector);
        }
    }
}
