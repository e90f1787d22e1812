package spsn.io;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import java.nio.FloatBuffer;

/**
 * A float32 CPU tensor's own memory seen from Java. Tensors made by NDManager.create/zeros are
 * contiguous, so the engine's buffer is a view, not a copy: what is written here is the tensor.
 */
public final class HostFloats {

    private HostFloats() {
    }

    /**
     * Whether Java can read and write the memory of tensors on {@code device} (the CPU's). The Java
     * fast paths (first layer, Adamax, noise) run there only; elsewhere the engine's operations do.
     */
    public static boolean onHost(Device device) {
        return Device.Type.CPU.equals(device.getDeviceType());
    }

    /** A writable view of {@code array}'s memory (a float32 tensor on the CPU). */
    public static FloatBuffer view(NDArray array) {
        return ((PtNDArray) array).toByteBuffer(true).asFloatBuffer();
    }

    /**
     * Replaces {@code array}'s values by {@code values}, bit for bit. On the CPU this writes the
     * memory directly: the engine's {@code set} goes through a libtorch guard that prints a
     * deprecation warning ("AutoNonVariableTypeMode is deprecated") on stderr once per process.
     */
    public static void write(NDArray array, float[] values) {
        if (!onHost(array.getDevice())) {
            array.set(values);
            return;
        }
        FloatBuffer memory = view(array);
        if (memory.capacity() != values.length) {
            throw new IllegalArgumentException(values.length + " values for a tensor of " + memory.capacity());
        }
        memory.put(0, values);
    }
}
