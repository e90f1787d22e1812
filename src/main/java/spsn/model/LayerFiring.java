package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import spsn.neuron.SpikeTally;
import spsn.neuron.TempArrays;

/**
 * What one layer fired in a pass (its spikes, or a recurrent layer's state H), for its rates on
 * demand: in the graph for a regulariser ({@link #rates()}, the engine's mean, computed once),
 * or as the number a results file records ({@link #sumOfRates()}), from the Java spike step's
 * tally when it made one, so that a pass without a regulariser reduces no array for it.
 */
final class LayerFiring {

    private final NDArray spikes;
    private final int steps;
    private final SpikeTally tally;
    private NDArray rates;

    /**
     * {@code spikes} [T', B, H] (a handle of its own is taken), of which the first {@code steps}
     * are real; {@code tally}: their tally, or null.
     */
    LayerFiring(NDArray spikes, int steps, SpikeTally tally) {
        this.spikes = spikes.reshape(spikes.getShape());
        this.steps = steps;
        this.tally = tally;
    }

    /** Each neuron's firing rate [H], the mean over the batch and the real steps, in the graph. */
    NDArray rates() {
        if (rates == null) {
            try (TempArrays tmp = new TempArrays()) {
                // the engine reduces one axis at a time
                NDArray real = tmp.add(spikes.get(new NDIndex(":" + steps)));
                rates = tmp.add(real.mean(new int[] {0})).mean(new int[] {0});
            }
        }
        return rates;
    }

    /** Σ over the neurons of their rates: the original's spike count of one batch. */
    double sumOfRates() {
        if (tally != null && tally.started()) {
            return tally.sumOfRates();
        }
        return rates().sum().getFloat();
    }
}
