package spsn.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A sweep on a real one-node Slurm cluster on loopback (tools/slurm-local.sh, Debian's
 * slurm-wlm): submitted as a job array, one task cancelled with scancel while it runs, then
 * {@code sweep resume}: every run ends with the numbers of the same sweep on the local backend,
 * the cancelled one continued from its checkpoint. The cluster's ports are fixed: tests tagged
 * "slurm" must not run in parallel (the resource lock says so to JUnit).
 */
@Tag("slurm")
@ResourceLock("slurm-local-cluster")
class SlurmSweepTest {

    /** 2 x 2 runs, 8 batches an epoch: a checkpoint after epoch 1 is a point in the middle of the run. */
    /**
     * Epochs per run: enough that the two runs the test stops are still training when it has seen
     * both at epoch 1 and sends the signals (a few short epochs let a fast run finish first).
     */
    private static final int EPOCHS = 20;
    private static final String GRID = """
            flags:
              dataset: synthetic
              synthetic_train: 64
              synthetic_test: 16
              batch_size: 8
              hidden_size: 16
              nb_epochs: %d
              checkpoint_every: 1
            axes:
              neuron: [SPSN-SB, Non-Spiking]
              seed: [0, 1]
            """.formatted(EPOCHS);
    private static final String CANCELLED = "neuron-SPSN-SB_seed-0";
    private static final String REQUEUED = "neuron-SPSN-SB_seed-1";

    @TempDir
    static Path tmp;
    private static Path cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        assumeTrue(onPath("slurmctld") && onPath("slurmd") && onPath("sbatch"),
                "slurmctld not installed (Debian's slurm-wlm): the Slurm sweep test is skipped");
        cluster = tmp.resolve("cluster");
        Result started = exec(List.of("bash", Path.of("tools/slurm-local.sh").toAbsolutePath().toString(), "start"), 120);
        assertEquals(0, started.code, started.out);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            exec(List.of("bash", Path.of("tools/slurm-local.sh").toAbsolutePath().toString(), "stop"), 120);
        }
    }

    @Test
    void aTaskCancelledMidRunIsResumedFromItsCheckpointToTheNumbersOfTheLocalBackend() throws Exception {
        Path jar = SweepSupport.toolJar(tmp);
        Path grid = tmp.resolve("grid.yaml");
        Files.writeString(grid, GRID);
        Path sweep = tmp.resolve("on-slurm");

        Result submitted = spsn("sweep", grid.toString(), "--backend", "slurm", "--output_dir", sweep.toString(),
                "--jar", jar.toString(), "--cpus_per_task", "1");
        assertEquals(0, submitted.code, submitted.out);
        Matcher id = Pattern.compile("submitted job (\\d+): array 0-3 ").matcher(submitted.out);
        assertTrue(id.find(), submitted.out);
        String job = id.group(1);
        String script = Files.readString(sweep.resolve("sweep-1.sbatch"));
        assertTrue(script.contains("#SBATCH --array=0-3\n") && script.contains("#SBATCH --cpus-per-task=1\n"), script);

        // once runs 0 and 1 have a checkpoint of epoch 1 (mid-run): cancel run 0, requeue run 1
        // (what preemption does)
        Path runDir = sweep.resolve("runs").resolve(CANCELLED);
        Path requeuedDir = sweep.resolve("runs").resolve(REQUEUED);
        JsonNode checkpoint = await("a checkpoint after epoch 1 of " + CANCELLED, 300, () -> midRun(runDir), sweep);
        JsonNode requeuedCheckpoint = await("a checkpoint after epoch 1 of " + REQUEUED, 300, () -> midRun(requeuedDir),
                sweep);
        assertEquals(0, exec(List.of("scancel", job + "_0"), 30).code);
        assertEquals(0, exec(List.of("scontrol", "requeue", job + "_1"), 30).code);
        long runId = checkpoint.get("run_id").asLong();
        long requeuedRunId = requeuedCheckpoint.get("run_id").asLong();
        // a requeued job waits for its old launch credential to expire (~2 min); no need to wait here
        await("the requeued task pending again", 60, () -> exec(List.of("squeue", "-h", "-r", "-j", job + "_1", "-o",
                "%T"), 30).out.contains("PENDING") ? Boolean.TRUE : null, sweep);
        assertEquals(0, exec(List.of("scontrol", "update", "JobId=" + job + "_1", "StartTime=now"), 30).code);

        Result stopped = awaitStatus(sweep, 120, out -> line(out, CANCELLED).contains(" stopped "));
        String cancelledLog = Files.readString(sweep.resolve("logs/task-0.log"));
        assertTrue(cancelledLog.contains("CANCELLED AT"), cancelledLog);
        // Slurm signals every process of the task, the relaunch's parent and child: one stop, with a checkpoint
        assertTrue(cancelledLog.contains("spsn: SIGTERM: stopping after the current batch")
                && cancelledLog.contains("Stopped (") && !cancelledLog.contains("without saving"), cancelledLog);
        assertEquals(List.of(), finalResults(runDir), "cancelled before its end: no final results");
        JsonNode kept = SweepSupport.json(SweepSupport.files(runDir, "checkpoint_").stream()
                .filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow());
        assertEquals(runId, kept.get("run_id").asLong());
        int epochsDone = kept.get("epochs_done").asInt();
        assertTrue(epochsDone >= 1 && epochsDone < EPOCHS, kept.toString());

        Result resumed = spsn("sweep", "resume", sweep.toString());
        assertEquals(0, resumed.code, resumed.out);
        assertTrue(resumed.out.contains("resuming 1 of 4 runs (" + CANCELLED + ")"), resumed.out + logs(sweep));
        awaitStatus(sweep, 600, out -> out.contains(": 4 runs: 4 done"));

        Map<String, JsonNode> onSlurm = SweepSupport.results(sweep);
        assertEquals(4, onSlurm.size());
        JsonNode manifestRun = SweepSupport.json(sweep.resolve("sweep.json")).get("runs").get(0);
        assertEquals(CANCELLED, manifestRun.get("key").asText());
        assertEquals(2, manifestRun.get("attempts").asInt(), manifestRun.toString());
        assertTrue(manifestRun.get("results").asText().endsWith("_" + runId + ".json"), "the same run, continued: "
                + manifestRun);
        String log = Files.readString(sweep.resolve("logs/task-0.log"));
        assertTrue(log.contains("Resuming run " + runId + " from "), log);
        JsonNode requeuedRun = SweepSupport.json(sweep.resolve("sweep.json")).get("runs").get(1);
        assertEquals(REQUEUED, requeuedRun.get("key").asText());
        assertEquals(2, requeuedRun.get("attempts").asInt(), "requeued by Slurm, not re-submitted: " + requeuedRun);
        assertEquals(job + "_1", requeuedRun.get("job").asText());
        assertTrue(requeuedRun.get("results").asText().endsWith("_" + requeuedRunId + ".json"), requeuedRun.toString());
        String requeuedLog = Files.readString(sweep.resolve("logs/task-1.log"));
        assertTrue(requeuedLog.contains("DUE TO JOB REQUEUE") && requeuedLog.contains("Resuming run " + requeuedRunId),
                requeuedLog);
        assertFalse(SweepSupport.files(runDir, "checkpoint_").stream().anyMatch(f -> f.toString().endsWith(".json")),
                "a completed run removes its checkpoint");

        // the same sweep on the local backend, uninterrupted
        Path local = tmp.resolve("local");
        SweepSupport.spsn("sweep", grid.toString(), "--backend", "local", "--jobs", "2", "--output_dir",
                local.toString(), "--jar", jar.toString()).assertOk();
        Map<String, JsonNode> onLocal = SweepSupport.results(local);
        assertEquals(onLocal.keySet(), onSlurm.keySet());
        for (String key : onLocal.keySet()) {
            for (String field : SweepSupport.SAME) {
                assertEquals(onLocal.get(key).get(field), onSlurm.get(key).get(field), key + " " + field);
            }
        }

        SweepSupport.Result report = SweepSupport.spsn("report", "--outputs", sweep.toString(), "--no-plots").assertOk();
        assertTrue(report.out().contains("(0 runs in the tables, 4 other, 0 partial skipped"), report.out());
    }

    /** The run's checkpoint once it holds at least one epoch, else null. */
    private static JsonNode midRun(Path runDir) throws IOException {
        for (Path file : SweepSupport.files(runDir, "checkpoint_")) {
            if (file.toString().endsWith(".json")) {
                JsonNode c = SweepSupport.json(file);
                if (c.get("epochs_done").asInt() >= 1) {
                    return c;
                }
            }
        }
        return null;
    }

    private static List<Path> finalResults(Path runDir) throws IOException {
        List<Path> done = new ArrayList<>();
        for (Path f : SweepSupport.files(runDir, "results_")) {
            if (!SweepSupport.json(f).path("partial").asBoolean(false)) {
                done.add(f);
            }
        }
        return done;
    }

    private static String line(String status, String key) {
        return status.lines().filter(l -> l.contains(" " + key + " ")).findFirst().orElse("");
    }

    private static Result awaitStatus(Path sweep, int seconds, Predicate<String> done) throws Exception {
        Result last = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        do {
            last = spsn("sweep", "status", sweep.toString());
            assertEquals(0, last.code, last.out);
            if (done.test(last.out)) {
                return last;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("sweep status after " + seconds + " s:\n" + last.out + logs(sweep));
    }

    private interface Probe<T> {
        T get() throws Exception;
    }

    private static <T> T await(String what, int seconds, Probe<T> probe, Path sweep) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try {
                T found = probe.get();
                if (found != null) {
                    return found;
                }
            } catch (IOException e) {
                // a file replaced while being read: read the new one next time
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + what + " in " + seconds + " s" + logs(sweep));
    }

    private static String logs(Path sweep) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Path log : SweepSupport.files(sweep.resolve("logs"), "task-")) {
            b.append("\n--- ").append(log.getFileName()).append('\n').append(Files.readString(log));
        }
        return b.toString();
    }

    private record Result(int code, String out) {
    }

    /** The tool as a user runs it on a login node: its own process, Slurm's environment. */
    private static Result spsn(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "spsn.cli.Main"));
        command.addAll(List.of(args));
        return exec(command, 300);
    }

    private static Result exec(List<String> command, int seconds) throws Exception {
        Path output = Files.createTempFile(tmp, "exec", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("SLURM_LOCAL_DIR", tmp.resolve("cluster").toString());
        builder.environment().put("SLURM_CONF", tmp.resolve("cluster").resolve("slurm.conf").toString());
        Process process = builder.start();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end in " + seconds + " s: " + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static boolean onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", name));
    }
}
