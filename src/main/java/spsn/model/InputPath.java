package spsn.model;

import ai.djl.Device;
import spsn.io.HostFloats;

/** How the first layer maps a spike list to its current. */
public enum InputPath {
    /** Java threads add up weight columns (see SpikeProjection): the fastest on a CPU. */
    JAVA,
    /** The engine's sparse matrix product: any device. */
    ENGINE_SPARSE,
    /**
     * The batch made dense, [B, T, channels], through the engine's matrix product and autograd
     * alone: the plain path the fast ones are checked against (the bench's fast=plain).
     */
    DENSE;

    /** The fastest path on {@code device}. */
    public static InputPath forDevice(Device device) {
        return HostFloats.onHost(device) ? JAVA : ENGINE_SPARSE;
    }
}
