package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import spsn.neuron.BackwardTape;
import spsn.neuron.NoiseSource;
import spsn.neuron.TempArrays;

import java.util.ArrayList;
import java.util.List;

/**
 * What the layers of one forward pass share.
 *
 * @param noise where stochastic neurons draw their noise
 * @param rates per firing layer, in order, the firing rate of each neuron (appended by the layers)
 * @param recurrentRates per recurrent, spike-fed layer, the rates of its recurrent state H
 * @param steps the real number of time steps; the time axis of the layers' arrays may be longer,
 *              padded at the end so that the integration needs no padding of its own
 * @param tape the Java-computed steps, whose backward passes follow autograd's (ForwardResult)
 * @param integration how spiking layers integrate
 */
record Pass(NoiseSource noise, List<NDArray> rates, List<NDArray> recurrentRates, int steps, BackwardTape tape,
            IntegrationPath integration) {

    Pass(NoiseSource noise, int steps, IntegrationPath integration) {
        this(noise, new ArrayList<>(), new ArrayList<>(), steps, new BackwardTape(), integration);
    }

    /** The tape for the Java integration, or null when the engine integrates. */
    BackwardTape integrationTape() {
        return integration == IntegrationPath.JAVA ? tape : null;
    }

    /**
     * With the Java integration, {@code value} made a boundary of the backward passes (see
     * BackwardTape#cut): for values used on both sides of a Java step. Takes {@code value} over
     * and returns the array to use in its place (itself with the engine's integration).
     */
    NDArray boundary(NDArray value) {
        if (integration != IntegrationPath.JAVA) {
            return value;
        }
        NDArray cut = tape.cut(value);
        value.close();
        return cut;
    }

    /** The real steps of a time-first array [T', ...]: a new view, for the caller to close. */
    NDArray realSteps(NDArray timeMajor) {
        return timeMajor.get(new NDIndex(":" + steps));
    }

    /** Appends the rates of {@code spikes} [T', B, H]: the mean over the batch and the real steps. */
    void recordRates(NDArray spikes) {
        rates.add(meanRate(spikes));
    }

    void recordRecurrentRates(NDArray state) {
        recurrentRates.add(meanRate(state));
    }

    private NDArray meanRate(NDArray spikes) {
        try (TempArrays tmp = new TempArrays()) {
            // the engine reduces one axis at a time
            NDArray real = tmp.add(realSteps(spikes));
            return tmp.add(real.mean(new int[] {0})).mean(new int[] {0});
        }
    }
}
