package spsn.cli;

import spsn.engine.TunedEnvironment;
import spsn.train.RunInterruptedException;
import spsn.train.StopSignal;
import sun.misc.Signal;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Restarts the JVM once with the native allocator tuned for large tensors ({@link
 * NativeAllocator}: jemalloc where installed, else glibc's malloc with settings of its own), when
 * training or benchmarking on Linux.
 *
 * <p>Why: every activation of an SHD-sized batch is ~40 MB, above glibc's mmap threshold, so
 * each one is a fresh mmap whose pages fault in one by one; element-wise ops then run ~5x below
 * memory speed (measured: 23 ms vs 4 ms for an add over 9.3 M floats). Served from memory the
 * allocator keeps instead, they reuse warm pages, and transparent huge pages fault that memory in
 * 2 MiB at a time as it grows in the first batch (~6x fewer page faults in a run). An allocator
 * reads its settings (and a preloaded one is loaded) only at process start, hence the restart;
 * Java cannot call mallopt itself.
 *
 * <p>The parent only waits: it passes every stop signal (SIGINT, SIGTERM, SIGHUP) on to the
 * child through a {@link SignalRelay}, so that one sent to the whole process group (a terminal's
 * Ctrl-C, {@code timeout}, systemd, Slurm) counts once, and exits with the child's code. The
 * child halts at once if the parent dies (e.g. SIGKILL), so killing the process a user started
 * still stops the run. Set {@code SPSN_NO_RELAUNCH=1} to stay in one JVM.
 */
final class TunedRelaunch {

    static final String MARKER = TunedEnvironment.CHILD;
    /** The child's exit code when its parent was killed: 128 + SIGKILL, as the parent's. */
    static final int PARENT_GONE = 137;
    private static final String OPENMP_WAIT = "OMP_WAIT_POLICY";
    /** 128 + SIGHUP, SIGTERM: how a JVM ends when such a signal comes before its handlers. */
    private static final Map<Integer, String> STOP_SIGNAL_EXITS = Map.of(129, "SIGHUP", 143, "SIGTERM");
    private static final Set<String> NO_TRAINING = Set.of("report", "raster", "help", "--help", "-h", "--version", "-V");

    private TunedRelaunch() {
    }

    /** Whether this JVM is the tuned child of another. */
    static boolean isChild() {
        return System.getenv(MARKER) != null;
    }

    /**
     * Runs the command in a tuned child JVM and returns its exit code, or empty when this JVM
     * should run it itself (already tuned, disabled, not Linux, not a training command). The
     * child's environment gets {@code engine}'s variables (a null value removes one): the libtorch
     * chosen for the device (see EngineLibrary). Throws a usage error for an allocator asked for
     * and not installed.
     */
    static Optional<Integer> runInTunedChild(String[] args, Map<String, String> engine) {
        if (isChild()) {
            watchParent();
            SignalRelay.listenToParent();
            return Optional.empty();
        }
        if (!shouldRelaunch(args)) {
            return Optional.empty();
        }
        NativeAllocator allocator = NativeAllocator.choose(System.getenv(), NativeAllocator.installedLocations());
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
        builder.environment().putAll(allocator.childEnvironment(System.getenv()));
        builder.environment().put(MARKER, "1");
        withPassiveOpenMp(builder.environment());
        engine.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        ArgumentEncoding.lostCharacters(args).ifPresent(typed -> {
            // this JVM's locale cannot write these names: the child gets them intact, under UTF-8
            builder.environment().put(ArgumentEncoding.ARGS, ArgumentEncoding.encode(typed));
            builder.environment().put("LC_ALL", "C.UTF-8");
        });
        // libtorch's C++ warnings (e.g. a deprecation notice from DJL's JNI layer) are noise here
        builder.environment().putIfAbsent("TORCH_CPP_LOG_LEVEL", "ERROR");
        SignalRelay relay = SignalRelay.open();
        if (relay != null) {
            builder.environment().put(SignalRelay.SOCKET, relay.socket().toString());
        }
        TunedEnvironment.recordUntuned(System.getenv(), builder.environment());
        ParentSignals signals = new ParentSignals(relay);
        for (String name : StopSignal.SIGNALS) {
            try {
                Signal.handle(new Signal(name), signal -> signals.pass(signal.getName()));
            } catch (IllegalArgumentException e) {
                // reserved here (e.g. -Xrs): the signal keeps its default action
            }
        }
        try {
            Process child = builder.start();
            signals.started(child);
            int exit = child.waitFor();
            if (relay != null) {
                relay.close();
            }
            return Optional.of(signals.exitCode(exit));
        } catch (java.io.IOException e) {
            if (relay != null) {
                relay.close();
            }
            // could not start a JVM: run here, untuned, unless a stop signal caused it (see below)
            Optional<Integer> stopped = signals.exitCodeIfStopped(ParentSignals.IN_FLIGHT);
            StopSignal.installDefaults();
            return stopped;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(RunInterruptedException.EXIT_CODE);
        }
    }

    /** The parent's stop signals: passed on to the child, which decides what they mean. */
    static final class ParentSignals {

        /**
         * How long a failed start waits for a stop signal still on its way to {@link #pass}: a
         * signal sent to the whole group can kill the JDK's spawn helper before it starts the
         * child JVM, and the JVM runs the handler that records it on a thread of its own, so the
         * failure can be seen first. Without the wait the run went on here and trained to the end.
         */
        static final long IN_FLIGHT = TimeUnit.MILLISECONDS.toNanos(500);

        private final SignalRelay relay;
        private Process child;
        private String first;

        ParentSignals(SignalRelay relay) {
            this.relay = relay;
        }

        synchronized void pass(String name) {
            if (first == null) {
                first = "SIG" + name;
                notifyAll();
            }
            if (child != null && (relay == null || !relay.pass(name))) {
                child.destroy(); // not connected yet: the child is starting and has nothing to save
            }
        }

        /**
         * 130 if a stop signal came while no child could be started, or comes within {@code
         * waitNanos}; else empty (run in this JVM).
         */
        synchronized Optional<Integer> exitCodeIfStopped(long waitNanos) {
            long deadline = System.nanoTime() + waitNanos;
            try {
                for (long left = waitNanos; first == null && left > 0; left = deadline - System.nanoTime()) {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of(RunInterruptedException.EXIT_CODE);
            }
            if (first == null) {
                return Optional.empty();
            }
            System.err.println("spsn: " + first + ": stopping (nothing to save yet)");
            return Optional.of(RunInterruptedException.EXIT_CODE);
        }

        /** A signal that came while the child was being started stops it now. */
        synchronized void started(Process started) {
            child = started;
            if (first != null) {
                child.destroy();
            }
        }

        /**
         * The child's exit code, except that a child ended by SIGHUP or SIGTERM itself (one that
         * came while its JVM was starting, before its handlers) reports 130 like every other
         * stop, whether or not this process saw the signal yet.
         */
        synchronized int exitCode(int childExit) {
            String signal = STOP_SIGNAL_EXITS.get(childExit);
            if (signal != null) {
                System.err.println("spsn: " + (first != null ? first : signal) + ": stopping (nothing to save yet)");
                return RunInterruptedException.EXIT_CODE;
            }
            return childExit;
        }
    }

    /**
     * libtorch's OpenMP threads sleep between parallel regions instead of spinning, unless the
     * user chose a policy. Why: a step alternates libtorch's ops with the Java kernels' own
     * threads (spike draws, recurrences); libgomp's default spin kept a core busy waiting while
     * the Java threads needed it, and ACTIVE is worse still (the bench shows it per step).
     */
    static void withPassiveOpenMp(Map<String, String> environment) {
        environment.putIfAbsent(OPENMP_WAIT, "PASSIVE");
    }

    private static boolean shouldRelaunch(String[] args) {
        if ("1".equals(System.getenv("SPSN_NO_RELAUNCH")) || !new File("/proc/self/status").exists()) {
            return false;
        }
        return trains(args);
    }

    /** Whether the command line may train or benchmark (not a report, a raster, help or the version). */
    static boolean trains(String[] args) {
        for (String arg : args) {
            if (NO_TRAINING.contains(arg)) {
                return false;
            }
        }
        return true;
    }

    /** In the child: stop immediately when the parent is gone (it was killed). */
    private static void watchParent() {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(PARENT_GONE)));
    }
}
