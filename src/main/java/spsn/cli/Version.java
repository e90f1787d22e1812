package spsn.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.IVersionProvider;
import spsn.train.Devices;

/**
 * {@code --version}: the tool's version (from the jar manifest, "dev" when run from classes),
 * DJL's, the libtorch the PyTorch engine loaded, and the device a run with {@code --device auto}
 * would use: what a bug report or a comparison of two machines needs.
 */
public final class Version implements IVersionProvider {

    public static String current() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    @Override
    public String[] getVersion() {
        List<String> lines = new ArrayList<>();
        lines.add("spsn-java " + current());
        lines.add("DJL " + Engine.getDjlVersion());
        try {
            Engine engine = Engine.getEngine("PyTorch");
            int gpus = engine.getGpuCount();
            lines.add("libtorch " + engine.getVersion() + " (DJL PyTorch engine)");
            Device device = gpus > 0 ? Device.gpu() : Device.cpu();
            lines.add("device " + Devices.describe(device) + (gpus > 0
                    ? " (" + gpus + " CUDA GPU" + (gpus > 1 ? "s" : "") + " seen)" : " (the engine sees no CUDA GPU)"));
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            lines.add("libtorch: the PyTorch engine does not start (" + e.getMessage() + ")");
        }
        return lines.toArray(String[]::new);
    }
}
