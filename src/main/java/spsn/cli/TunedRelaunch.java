package spsn.cli;

import sun.misc.Signal;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Restarts the JVM once with glibc's allocator tuned for large tensors, when training or
 * benchmarking on Linux.
 *
 * <p>Why: every activation of an SHD-sized batch is ~40 MB, above glibc's mmap threshold, so
 * each one is a fresh mmap whose pages fault in one by one; element-wise ops then run ~5x below
 * memory speed (measured: 23 ms vs 4 ms for an add over 9.3 M floats). Serving them from the
 * heap instead ({@code MALLOC_MMAP_MAX_=0}, no trimming) reuses warm pages. glibc reads these
 * variables only at process start, hence the restart; Java cannot call mallopt itself.
 *
 * <p>The parent only waits: it passes SIGTERM on to the child, ignores SIGINT (a terminal sends
 * Ctrl-C to both), and exits with the child's code. The child halts at once if the parent dies
 * (e.g. SIGKILL), so killing the process a user started still stops the run. Set
 * {@code SPSN_NO_RELAUNCH=1} to stay in one JVM.
 */
final class TunedRelaunch {

    static final String MARKER = "SPSN_TUNED_CHILD";
    private static final Map<String, String> MALLOC_SETTINGS = Map.of(
            "MALLOC_MMAP_MAX_", "0",
            "MALLOC_TRIM_THRESHOLD_", "68719476736",
            "MALLOC_TOP_PAD_", "268435456");
    private static final Set<String> NO_TRAINING = Set.of("report", "raster", "--help", "-h", "--version", "-V");

    private TunedRelaunch() {
    }

    /**
     * Runs the command in a tuned child JVM and returns its exit code, or empty when this JVM
     * should run it itself (already tuned, disabled, not Linux, not a training command).
     */
    static Optional<Integer> runInTunedChild(String[] args) {
        if (System.getenv(MARKER) != null) {
            watchParent();
            return Optional.empty();
        }
        if (!shouldRelaunch(args)) {
            return Optional.empty();
        }
        Optional<String> java = ProcessHandle.current().info().command();
        if (java.isEmpty()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(java.get());
        List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
        command.addAll(jvmOptions);
        // let the heap shrink back to its live data after loading (see spsn.train.HeapTrim),
        // unless the user chose heap settings
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("-XX:MaxHeapFreeRatio") || o.startsWith("-XX:MinHeapFreeRatio"))) {
            command.add("-XX:MinHeapFreeRatio=10");
            command.add("-XX:MaxHeapFreeRatio=30");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().putAll(MALLOC_SETTINGS);
        builder.environment().put(MARKER, "1");
        // libtorch's C++ warnings (e.g. a deprecation notice from DJL's JNI layer) are noise here
        builder.environment().putIfAbsent("TORCH_CPP_LOG_LEVEL", "ERROR");
        try {
            Process child = builder.start();
            Signal.handle(new Signal("INT"), signal -> { });
            Signal.handle(new Signal("TERM"), signal -> child.destroy());
            return Optional.of(child.waitFor());
        } catch (java.io.IOException e) {
            return Optional.empty(); // could not start a JVM: run here, untuned
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(130);
        }
    }

    private static boolean shouldRelaunch(String[] args) {
        if ("1".equals(System.getenv("SPSN_NO_RELAUNCH")) || !new File("/proc/self/status").exists()) {
            return false;
        }
        for (String arg : args) {
            if (NO_TRAINING.contains(arg)) {
                return false;
            }
        }
        return true;
    }

    /** In the child: stop immediately when the parent is gone (it was killed). */
    private static void watchParent() {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(137)));
    }
}
