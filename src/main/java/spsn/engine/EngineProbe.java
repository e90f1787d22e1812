package spsn.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Starts the engine on a libtorch folder in a JVM of its own and reports what it sees: its version
 * and the CUDA GPUs it counts. Why a separate JVM: a libtorch that does not fit the JNI layer can
 * end the process that loads it, and a CUDA build can load yet see no GPU (an old driver, an empty
 * CUDA_VISIBLE_DEVICES); either way the tool itself must stay able to say so, or run on the CPU.
 */
public final class EngineProbe {

    /** Seconds the probe may take: the engine's start (JNI extraction the first time) and CUDA's. */
    static final int TIMEOUT_SECONDS = 120;
    private static final String MARK = "SPSN-PROBE";

    /** What the probe saw: a loaded engine (version, GPUs, folder) or why it did not load. */
    public record Result(String version, int gpus, String libtorchPath, String problem) {

        public boolean loaded() {
            return problem == null;
        }
    }

    private EngineProbe() {
    }

    /** In the probe's JVM: starts the engine, prints one marked line. */
    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        Engine engine = Engine.getEngine("PyTorch");
        System.out.println(MARK + " " + engine.getVersion() + " " + engine.getGpuCount() + " " + LibUtils.getLibtorchPath());
        System.out.flush();
        System.exit(0);
    }

    /**
     * Runs the probe with {@code environment} added to this process's (the engine's
     * PYTORCH_LIBRARY_PATH, PYTORCH_FLAVOR and PYTORCH_VERSION).
     */
    public static Result run(Map<String, String> environment) {
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    EngineProbe.class.getName());
            builder.environment().putAll(environment);
            builder.environment().putIfAbsent("TORCH_CPP_LOG_LEVEL", "ERROR");
            ShortProcess.Outcome probe = ShortProcess.run(builder, TIMEOUT_SECONDS);
            if (!probe.finished()) {
                return failed("the engine took over " + TIMEOUT_SECONDS + " s to start on it");
            }
            for (String line : probe.lines()) {
                String[] words = line.strip().split(" ", 4);
                if (words.length == 4 && words[0].equals(MARK)) {
                    return new Result(words[1], Integer.parseInt(words[2]), words[3], null);
                }
            }
            return failed("the engine did not start on it (" + (probe.exitCode() > 128
                    ? "the JVM died with signal " + (probe.exitCode() - 128) : cause(probe.lines())) + ")");
        } catch (IOException e) {
            return failed("could not start a JVM to try it: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted");
        }
    }

    /** The innermost exception message of a failed start: the last "Caused by" or exception line. */
    private static String cause(List<String> lines) {
        String found = null;
        for (String line : lines) {
            String s = line.strip();
            if (s.startsWith("Caused by: ") || s.startsWith("Exception in thread")) {
                found = s.replaceFirst("^Caused by: ", "").replaceFirst("^Exception in thread \"[^\"]*\" ", "");
            }
        }
        return found != null ? found : lines.isEmpty() ? "no output" : lines.get(lines.size() - 1).strip();
    }

    private static Result failed(String problem) {
        return new Result(null, 0, null, problem);
    }
}
