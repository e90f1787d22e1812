package spsn.model;

import ai.djl.Device;
import spsn.io.HostFloats;

/** How spiking layers integrate their currents over time (both give the recurrence's values). */
public enum IntegrationPath {
    /**
     * Java threads run the first-order recurrence forward and its reverse backward
     * (spsn.neuron.RecurrentIntegration): a few multiply-adds per element and step, no padding;
     * with it, feed-forward LIF layers (spsn.neuron.RecurrentLif) and the surrogate Heaviside steps
     * of the threshold and delta spike modes run as Java loops too. CPU only.
     */
    JAVA,
    /**
     * The engine's chunked matrix products (spsn.neuron.ChunkedScan) and per-step operations, all
     * in its autograd: any device, and the plain path the Java one is checked against.
     */
    ENGINE;

    /** The fastest path on {@code device}. */
    public static IntegrationPath forDevice(Device device) {
        return HostFloats.onHost(device) ? JAVA : ENGINE;
    }
}
