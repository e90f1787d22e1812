package spsn.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import spsn.SpsnException;

/** Chooses where tensors live from --device. */
public final class Devices {

    private Devices() {
    }

    public static Device select(String choice) {
        int gpus = Engine.getInstance().getGpuCount();
        return switch (choice) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw SpsnException.usage("--device gpu: the PyTorch engine sees no CUDA GPU; use --device cpu,"
                            + " or point PYTORCH_LIBRARY_PATH at a CUDA build of libtorch (see README)");
                }
                yield Device.gpu();
            }
            default -> gpus > 0 ? Device.gpu() : Device.cpu();
        };
    }

    /** How a device reads in output and results: {@code cpu}, {@code gpu(0)} (DJL's own form is {@code cpu()}). */
    public static String describe(Device device) {
        return device.isGpu() ? device.toString() : device.getDeviceType();
    }
}
