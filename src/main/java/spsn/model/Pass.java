package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import spsn.neuron.BackwardTape;
import spsn.neuron.NoiseSource;
import spsn.neuron.SpikeTally;

import java.util.ArrayList;
import java.util.List;

/**
 * What the layers of one forward pass share.
 *
 * @param noise where stochastic neurons draw their noise
 * @param firing per firing layer, in order, what it fired (appended by the layers)
 * @param recurrentFiring per recurrent, spike-fed layer, its recurrent state H
 * @param steps the real number of time steps; the time axis of the layers' arrays may be longer,
 *              padded at the end so that the integration needs no padding of its own
 * @param tape the Java-computed steps, whose backward passes follow autograd's (ForwardResult)
 * @param integration how spiking layers integrate
 */
record Pass(NoiseSource noise, List<LayerFiring> firing, List<LayerFiring> recurrentFiring, int steps,
            BackwardTape tape, IntegrationPath integration) {

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

    /**
     * A tally for a Java spike step to fill as it writes a layer's spikes (see SpikeTally), or
     * null when no Java step runs.
     */
    SpikeTally spikeTally() {
        return integration == IntegrationPath.JAVA ? new SpikeTally(steps) : null;
    }

    /** Appends the spikes [T', B, H] of a firing layer, and their tally if any. */
    void recordSpikes(NDArray spikes, SpikeTally tally) {
        firing.add(new LayerFiring(spikes, steps, tally));
    }

    /** Appends the recurrent state [T', B, H] of a recurrent, spike-fed layer, and its tally if any. */
    void recordRecurrentState(NDArray state, SpikeTally tally) {
        recurrentFiring.add(new LayerFiring(state, steps, tally));
    }
}
