package spsn.model;

import ai.djl.ndarray.NDArray;

/**
 * Turns a pass's last hidden activity into the network's output: in full, or reduced over time
 * the cheap way (see OutputLayer) when a loss needs only that.
 */
interface Readout {

    /** Output of the output layer at every real step, [B, T, classes]. */
    NDArray output();

    /** The output's mean over the real steps, [B, classes]. */
    NDArray meanOverTime();

    /** The output at the last real step, [B, classes]. */
    NDArray lastStep();
}
