package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import spsn.neuron.NoiseSource;

import java.util.List;

/**
 * What the layers of one forward pass share.
 *
 * @param noise where stochastic neurons draw their noise
 * @param rates per firing layer, in order, the firing rate of each neuron (appended by the layers)
 * @param steps the real number of time steps; the time axis of the layers' arrays may be longer,
 *              padded at the end so that the integration needs no padding of its own
 */
record Pass(NoiseSource noise, List<NDArray> rates, int steps) {

    /** The real steps of a time-first array [T', ...]: a new view, for the caller to close. */
    NDArray realSteps(NDArray timeMajor) {
        return timeMajor.get(new NDIndex(":" + steps));
    }
}
