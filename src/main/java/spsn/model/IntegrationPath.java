package spsn.model;

import ai.djl.Device;

/** How spiking layers integrate their currents over time (both give the recurrence's values). */
public enum IntegrationPath {
    /**
     * Java threads run the first-order recurrence forward and its reverse backward
     * (spsn.neuron.RecurrentIntegration): a few multiply-adds per element and step, no padding.
     */
    JAVA,
    /** The engine's chunked matrix products (spsn.neuron.ChunkedScan): any device. */
    ENGINE;

    /** The fastest path on {@code device}. */
    public static IntegrationPath forDevice(Device device) {
        return device.isGpu() ? ENGINE : JAVA;
    }
}
