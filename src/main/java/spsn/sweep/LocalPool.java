package spsn.sweep;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import spsn.SpsnException;
import spsn.engine.TunedEnvironment;
import spsn.train.RunInterruptedException;
import spsn.train.StopSignal;

/**
 * {@code --backend local}: runs a sweep's runs on this machine, at most {@code jobs} at a time,
 * each as its own process ({@code java -jar spsn.jar sweep task DIR INDEX}) with cores / jobs
 * threads. A run that fails is named and the others go on. Ctrl-C or SIGTERM stops the sweep:
 * no new run starts, the running ones save their checkpoints, and {@code sweep resume}
 * continues. Each run is started in a session of its own, so that a terminal's Ctrl-C reaches
 * it once, through the pool, and not twice.
 */
final class LocalPool {

    private static final long GIB = 1L << 30;
    /** What a full-size run may need (a full-size LIF run peaks at ~3.5 GiB), to size the default pool. */
    private static final long MEMORY_PER_RUN = 4 * GIB;

    private final Path sweepDir;
    private final Path jar;
    private final int jobs;
    private final PrintWriter out;
    private final Map<Integer, Process> running = new ConcurrentHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private int total;
    private int done;
    private int failed;
    private int stopped;

    LocalPool(Path sweepDir, Path jar, int jobs, PrintWriter out) {
        this.sweepDir = sweepDir;
        this.jar = jar;
        this.jobs = jobs;
        this.out = out;
    }

    /** As many runs as there are cores, or as memory holds full-size runs, whichever is fewer. */
    static int defaultJobs() {
        int cores = Runtime.getRuntime().availableProcessors();
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return Math.max(1, (int) Math.min(cores, memory / MEMORY_PER_RUN));
    }

    static int threadsPerRun(int jobs) {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / jobs);
    }

    /**
     * Runs {@code todo} and returns the sweep's exit code: 0 when all are done, 1 when one
     * failed, 130 when stopped.
     */
    int run(List<SweepRun> todo) {
        total = todo.size();
        int threads = threadsPerRun(jobs);
        out.printf("sweep: %d run%s, %d at a time, %d thread%s each; logs in %s%n", total, total == 1 ? "" : "s",
                jobs, threads, threads == 1 ? "" : "s", sweepDir.resolve(Manifest.LOGS));
        out.flush();
        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        // the training runs' own signal handling: direct signals and those the relaunching parent
        // passes on count once
        try (StopSignal signals = StopSignal.install(out)) {
            signals.arm();
            for (SweepRun run : todo) {
                pool.submit(() -> {
                    try {
                        runOne(run, threads);
                    } catch (RuntimeException e) {
                        // e.g. the manifest could not be written: name the run, go on with the others
                        synchronized (this) {
                            failed++;
                            out.println("sweep: FAILED " + run.key + ": " + e.getMessage());
                            out.flush();
                        }
                    }
                });
            }
            pool.shutdown();
            while (!pool.awaitTermination(200, TimeUnit.MILLISECONDS)) {
                if (signals.getAsBoolean()) {
                    stop(signals.received());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop("interrupted");
        }
        out.printf("sweep: %d done, %d failed, %d stopped, %d not started, of %d; status: spsn sweep status %s%n",
                done, failed, stopped, total - done - failed - stopped, total, sweepDir);
        if (done == total) {
            out.println("sweep: report: spsn report --outputs " + sweepDir);
        } else {
            out.println("sweep: continue with: spsn sweep resume " + sweepDir);
        }
        out.flush();
        return stopping.get() ? RunInterruptedException.EXIT_CODE : failed > 0 || done < total ? SpsnException.DATA : 0;
    }

    private void runOne(SweepRun run, int threads) {
        if (stopping.get()) {
            return;
        }
        Path log = sweepDir.resolve(run.log);
        int code;
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command(run, threads))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Map<String, String> env = builder.environment();
            env.put("OMP_NUM_THREADS", Integer.toString(threads));
            env.put("MKL_NUM_THREADS", Integer.toString(threads));
            // Not the tuned child of this JVM's relaunch (spsn.cli.TunedRelaunch): each run tunes itself.
            TunedEnvironment.restoreUntuned(env);
            Process process;
            synchronized (this) {
                if (stopping.get()) {
                    return;
                }
                process = builder.start();
                running.put(run.index, process);
            }
            Manifest.updateRun(sweepDir, run.index, r -> {
                r.state = RunStatus.RUNNING;
                r.job = "pid " + process.pid();
            });
            code = process.waitFor();
        } catch (IOException e) {
            code = -1;
            try {
                Files.writeString(log, "spsn: cannot start the run: " + e.getMessage() + "\n",
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException ignored) {
                // the message below names the log anyway
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            running.remove(run.index);
        }
        finished(run, code);
    }

    private List<String> command(SweepRun run, int threads) {
        List<String> command = new ArrayList<>();
        if (SETSID != null) {
            command.add(SETSID);
        }
        command.add(ToolCommand.java());
        command.addAll(ToolCommand.threadFlags(Integer.toString(threads)));
        command.addAll(List.of("-jar", jar.toString(), "sweep", "task", sweepDir.toString(), Integer.toString(run.index)));
        return command;
    }

    /** Records how the run ended (the task records it itself unless it was killed) and prints it. */
    private void finished(SweepRun run, int code) {
        Manifest manifest = Manifest.updateRun(sweepDir, run.index, r -> {
            if (r.state == RunStatus.RUNNING || r.state == RunStatus.PENDING) {
                boolean signalled = code == RunInterruptedException.EXIT_CODE || code > 128;
                r.state = signalled ? RunStatus.STOPPED : RunStatus.FAILED;
                r.exitCode = code;
                r.note = signalled ? "killed (exit " + code + ")" : null;
            }
        });
        SweepRun now = manifest.run(run.index);
        synchronized (this) {
            String what;
            switch (now.state) {
                case DONE -> {
                    done++;
                    what = "done " + run.key + ": " + now.results;
                }
                case STOPPED -> {
                    stopped++;
                    what = "stopped " + run.key + " (exit " + code + "); it resumes from its checkpoint";
                }
                default -> {
                    failed++;
                    what = "FAILED " + run.key + " (exit " + code + ")" + lastError(sweepDir.resolve(run.log))
                            + "; log: " + sweepDir.resolve(run.log);
                }
            }
            out.printf("sweep: [%d/%d] %s%n", done + failed + stopped, total, what);
            out.printf("sweep: %d done, %d failed, %d running, %d waiting%n", done, failed, running.size(),
                    Math.max(0, total - done - failed - stopped - running.size()));
            out.flush();
        }
    }

    /** The last "spsn: ..." line of a run's log: what went wrong, in the tool's words. */
    private static String lastError(Path log) {
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.startsWith("spsn: ")).reduce((a, b) -> b).map(l -> ": " + l.substring(6)).orElse("");
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    /** No new run starts; each running one is asked once (SIGTERM) to save its checkpoint and stop. */
    private void stop(String why) {
        List<Process> toStop;
        synchronized (this) {
            if (!stopping.compareAndSet(false, true)) {
                return;
            }
            toStop = List.copyOf(running.values());
        }
        out.println("sweep: " + why + ": stopping; " + toStop.size() + " running run(s) save their checkpoints;"
                + " continue with: spsn sweep resume " + sweepDir);
        out.flush();
        toStop.forEach(Process::destroy);
    }

    /** util-linux's setsid, where there is one. */
    private static final String SETSID = findOnPath("setsid");

    private static String findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
