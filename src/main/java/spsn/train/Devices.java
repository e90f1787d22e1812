package spsn.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Utils;
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
                    throw SpsnException.data("--device gpu: the engine (" + libtorch() + ") sees no CUDA GPU; use"
                            + " --device cpu, or install torch==2.7.1+cu128 with pip or set PYTORCH_LIBRARY_PATH to"
                            + " a CUDA libtorch 2.7.1 (see README, GPU)");
                }
                yield Device.gpu();
            }
            default -> gpus > 0 ? Device.gpu() : Device.cpu();
        };
    }

    /**
     * The libtorch the engine runs on: "libtorch 2.7.1 from DIR" for one given through
     * PYTORCH_LIBRARY_PATH (chosen for --device, see spsn.engine.LibtorchSetup), else "the bundled
     * CPU libtorch 2.7.1".
     */
    public static String libtorch() {
        Engine engine = Engine.getInstance();
        if (Utils.getEnvOrSystemProperty("PYTORCH_LIBRARY_PATH") == null) {
            return "the bundled CPU libtorch " + engine.getVersion();
        }
        return "libtorch " + engine.getVersion() + " (" + Utils.getEnvOrSystemProperty("PYTORCH_FLAVOR", "?")
                + ") from " + LibUtils.getLibtorchPath();
    }

    /** Whether the engine runs on a libtorch other than the bundled one. */
    public static boolean ownLibtorch() {
        return Utils.getEnvOrSystemProperty("PYTORCH_LIBRARY_PATH") != null;
    }

    /** How a device reads in output and results: {@code cpu}, {@code gpu(0)} (DJL's own form is {@code cpu()}). */
    public static String describe(Device device) {
        return device.isGpu() ? device.toString() : device.getDeviceType();
    }
}
