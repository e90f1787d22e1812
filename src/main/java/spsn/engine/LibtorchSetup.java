package spsn.engine;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which libtorch the engine loads for a {@code --device} choice, decided before the engine starts.
 *
 * <p>The jar bundles the CPU build. For a GPU, DJL 0.36's JNI layer carries a cu128 flavour but
 * its CUDA libtorch {@value LibtorchFolder#VERSION} is on no Maven repository, so the library comes
 * from the user: {@code PYTORCH_LIBRARY_PATH}, else the {@code torch/lib} of a pip-installed torch
 * of each python3 on PATH, in order. A candidate must be libtorch {@value LibtorchFolder#VERSION},
 * a CUDA build, with every library it needs, and the engine started on it in a probe JVM must count
 * a GPU. The chosen folder reaches the engine as PYTORCH_LIBRARY_PATH with PYTORCH_FLAVOR
 * ({@code cu128}, or {@code cpu} for a CPU build: with a library path and no flavour the engine
 * looks for a {@code -precxx11} JNI that 2.7.1 does not have) and PYTORCH_VERSION.
 *
 * <p>{@code --device cpu} (and {@code auto} on a machine without an NVIDIA driver) looks for nothing
 * and says nothing, but a PYTORCH_LIBRARY_PATH the user set is checked all the same: a usable one is
 * used with its flavour, another is passed over (a libtorch of another version would crash the JVM).
 */
public final class LibtorchSetup {

    public static final String LIBRARY_PATH = "PYTORCH_LIBRARY_PATH";
    public static final String FLAVOR = "PYTORCH_FLAVOR";
    public static final String VERSION = "PYTORCH_VERSION";

    /** What this machine offers; tests give their own. */
    public interface Host {

        Map<String, String> environment();

        /** Whether an NVIDIA kernel driver is loaded (without one no CUDA library can see a GPU). */
        boolean nvidiaDriver();

        PythonTorch ask(Path python);

        EngineProbe.Result probe(Map<String, String> engineEnvironment);

        /** This machine. */
        static Host real() {
            return new Host() {
                @Override
                public Map<String, String> environment() {
                    return System.getenv();
                }

                @Override
                public boolean nvidiaDriver() {
                    return Files.exists(Path.of("/proc/driver/nvidia/version")) || Files.exists(Path.of("/dev/nvidiactl"));
                }

                @Override
                public PythonTorch ask(Path python) {
                    return PythonTorch.ask(python);
                }

                @Override
                public EngineProbe.Result probe(Map<String, String> engineEnvironment) {
                    return EngineProbe.run(engineEnvironment);
                }
            };
        }
    }

    /**
     * The decision: the engine's variables (a null value: unset it), the lines to print, and the
     * error that stops the run ({@code --device gpu} with no usable library), if any.
     */
    public record Plan(Map<String, String> engineEnvironment, List<String> notes, String error) {

        public boolean failed() {
            return error != null;
        }
    }

    private LibtorchSetup() {
    }

    /** The plan for {@code device} (auto, cpu or gpu) on {@code host}. */
    public static Plan plan(String device, Host host) {
        Map<String, String> env = host.environment();
        String userPath = blankToNull(env.get(LIBRARY_PATH));
        LibtorchFolder user = userPath == null ? null
                : LibtorchFolder.inspect(libtorchIn(userPath), blankToNull(env.get(VERSION)), null);
        String userSource = userPath == null ? null : LIBRARY_PATH + "=" + userPath;
        boolean driver = host.nvidiaDriver();
        if (device.equals("cpu") || (device.equals("auto") && !driver)) {
            return onCpu(user, userSource, List.of());
        }

        List<String> rejected = new ArrayList<>();
        if (!driver) {
            rejected.add("no NVIDIA driver loaded, /proc/driver/nvidia/version is missing");
        }
        if (user != null) {
            Plan gpu = tryCandidate(user, LIBRARY_PATH, host, driver, rejected);
            if (gpu != null) {
                return gpu;
            }
        } else {
            rejected.add(LIBRARY_PATH + " is not set");
        }
        List<Path> pythons = PythonTorch.onPath(env.get("PATH"));
        if (pythons.isEmpty()) {
            rejected.add("no python3 on PATH");
        }
        for (Path python : pythons) {
            PythonTorch torch = host.ask(python);
            String source = python + " (torch " + (torch.version() == null ? "?" : torch.version()) + ")";
            if (torch.problem() != null) {
                rejected.add(python + ": " + torch.problem());
            } else if (!LibtorchFolder.baseVersion(torch.version()).equals(LibtorchFolder.VERSION)) {
                rejected.add(python + ": torch " + torch.version() + ", not " + LibtorchFolder.VERSION);
            } else if (torch.cuda() == null) {
                rejected.add(python + ": torch " + torch.version() + " is a CPU-only build");
            } else {
                Plan gpu = tryCandidate(LibtorchFolder.inspect(torch.lib(), torch.version(), torch.cuda()), source, host,
                        driver, rejected);
                if (gpu != null) {
                    return gpu;
                }
            }
        }
        String reasons = String.join("; ", rejected);
        if (device.equals("gpu")) {
            return new Plan(Map.of(), List.of(), "--device gpu: no usable CUDA libtorch " + LibtorchFolder.VERSION
                    + " (" + reasons + "); install torch==" + LibtorchFolder.VERSION + "+cu128 with pip, or set "
                    + LIBRARY_PATH + " to its torch/lib (see README, GPU), or use --device cpu");
        }
        return onCpu(user, userSource, List.of("spsn: --device auto: on the CPU, no usable CUDA libtorch "
                + LibtorchFolder.VERSION + " (" + reasons + ")"));
    }

    /**
     * The plan with {@code folder} on the GPU, or null (its reason added to {@code rejected}) when it
     * is not a usable CUDA build or the engine started on it sees no GPU.
     */
    private static Plan tryCandidate(LibtorchFolder folder, String source, Host host, boolean driver,
                                     List<String> rejected) {
        if (!folder.usable()) {
            rejected.add(source + " at " + folder.dir() + ": " + folder.problem());
            return null;
        }
        if (!folder.cudaBuild()) {
            rejected.add(source + " at " + folder.dir() + ": " + folder.describe() + " is a CPU-only build");
            return null;
        }
        if (!driver) {
            rejected.add(source + " at " + folder.dir() + ": " + folder.describe() + ", but no GPU to run it on");
            return null;
        }
        Map<String, String> engine = engineEnvironment(folder);
        EngineProbe.Result probe = host.probe(engine);
        if (!probe.loaded()) {
            rejected.add(source + " at " + folder.dir() + ": " + probe.problem());
            return null;
        }
        if (probe.gpus() == 0) {
            rejected.add(source + " at " + folder.dir() + ": the engine loads it but sees no CUDA GPU (driver too old"
                    + " for CUDA " + folder.cuda() + "? CUDA_VISIBLE_DEVICES="
                    + host.environment().getOrDefault("CUDA_VISIBLE_DEVICES", "(unset)") + ")");
            return null;
        }
        String note = "spsn: GPU: " + folder.describe() + " from " + folder.dir() + " (" + source + "), "
                + probe.gpus() + " GPU" + (probe.gpus() == 1 ? "" : "s")
                + (rejected.isEmpty() ? "" : "; passed over: " + String.join("; ", rejected));
        return new Plan(engine, List.of(note), null);
    }

    /**
     * On the CPU: the user's PYTORCH_LIBRARY_PATH if it is usable, else the bundled build; said in
     * {@code notes} if given (a fallback's one line names the user's folder already), else in a line
     * of its own.
     */
    private static Plan onCpu(LibtorchFolder user, String userSource, List<String> notes) {
        List<String> all = new ArrayList<>(notes);
        if (user == null) {
            return new Plan(Map.of(), all, null);
        }
        if (user.usable()) {
            if (all.isEmpty()) {
                all.add("spsn: " + userSource + ": " + user.describe() + ", used on the CPU");
            }
            return new Plan(engineEnvironment(user), all, null);
        }
        if (all.isEmpty()) {
            all.add("spsn: " + userSource + " passed over, " + user.problem() + "; the bundled CPU libtorch is used");
        }
        Map<String, String> unset = new HashMap<>();
        unset.put(LIBRARY_PATH, null);
        return new Plan(unset, all, null);
    }

    /** The engine's variables for {@code folder}. */
    static Map<String, String> engineEnvironment(LibtorchFolder folder) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(LIBRARY_PATH, folder.dir().toString());
        env.put(FLAVOR, folder.flavor());
        env.put(VERSION, LibtorchFolder.VERSION);
        return env;
    }

    /** The first folder of a path list that holds libtorch.so (what the engine takes), else the first. */
    private static Path libtorchIn(String pathList) {
        String[] dirs = pathList.split(File.pathSeparator);
        for (String dir : dirs) {
            Path p = Path.of(dir);
            if (Files.isRegularFile(p) && p.getFileName().toString().equals("libtorch.so")) {
                return p.toAbsolutePath().getParent();
            }
            if (!dir.isEmpty() && Files.isRegularFile(p.resolve("libtorch.so"))) {
                return p.toAbsolutePath();
            }
        }
        return Path.of(dirs.length == 0 ? pathList : dirs[0]).toAbsolutePath();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
