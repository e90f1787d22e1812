package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spsn.report.RunResult;
import spsn.train.Checkpoint;

/**
 * Stop signals as they arrive in practice, with the tuned relaunch's two processes: to the
 * whole process group (what {@code timeout}, systemd, a terminal and Slurm's scancel or
 * preemption do: the run is started with {@code setsid} so that it has a group of its own), to
 * the parent's pid, to the child's pid, through {@code timeout} itself. Each must count once:
 * the run saves a checkpoint and partial results and exits with 130.
 */
class StopDeliveryTest {

    /** Long enough (2 batches an epoch) that a signal sent during epoch 1 comes well before the end. */
    private static final List<String> RUN = List.of("--dataset", "synthetic", "--synthetic_train", "32",
            "--synthetic_test", "16", "--batch_size", "16", "--hidden_size", "16", "--progress", "False",
            "--seed", "5", "--nb_epochs", "200", "--checkpoint_every", "0");
    private static final String ONCE = "stopping after the current batch to save a checkpoint";

    @TempDir
    Path tmp;

    @Test
    void sigtermToTheProcessGroupCountsOnceAndSavesTheRun() throws Exception {
        Run run = start("group-term", List.of("setsid"));
        run.awaitTraining();
        signalGroup("TERM", run.process.pid());
        run.assertStoppedAndSaved("SIGTERM");
        Cli.run("--resume", run.checkpoint().toString(), "--nb_epochs", "3", "--progress", "False").assertOk();
    }

    @Test
    void sighupToTheProcessGroupSavesLikeSigterm() throws Exception {
        assumeHandled(1, "SIGHUP");
        Run run = start("group-hup", List.of("setsid"));
        run.awaitTraining();
        signalGroup("HUP", run.process.pid());
        run.assertStoppedAndSaved("SIGHUP");
    }

    @Test
    void sigintToTheParentPidIsPassedOn() throws Exception {
        assumeHandled(2, "SIGINT");
        Run run = start("parent-int", List.of());
        run.awaitTraining();
        kill("INT", Long.toString(run.process.pid()));
        run.assertStoppedAndSaved("SIGINT");
    }

    @Test
    void sigtermToTheChildPid() throws Exception {
        Run run = start("child-term", List.of());
        run.awaitTraining();
        List<ProcessHandle> children = run.process.toHandle().children().toList();
        assumeTrue(children.size() == 1, "the run was not relaunched (SPSN_NO_RELAUNCH or not Linux)");
        kill("TERM", Long.toString(children.get(0).pid()));
        run.assertStoppedAndSaved("SIGTERM");
    }

    @Test
    void timeoutsSigtermCountsOnce() throws Exception {
        // timeout sends the signal to its command and then to its whole group: the parent gets it twice
        Run run = start("timeout", List.of("timeout", "--preserve-status", "-s", "TERM", "600"));
        run.awaitTraining();
        List<ProcessHandle> java = run.process.toHandle().children().toList();
        assertEquals(1, java.size(), "timeout runs one java");
        // timeout forwards the TERM it receives to its command and its group, as on expiry
        kill("TERM", Long.toString(run.process.pid()));
        run.assertStoppedAndSaved("SIGTERM");
    }

    @Test
    void aStopSignalBeforeTrainingStartsExits130() throws Exception {
        Run run = start("early", List.of("setsid"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (run.process.toHandle().children().findAny().isEmpty() && run.process.isAlive()
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        signalGroup("TERM", run.process.pid()); // the child is still starting its JVM or loading
        assertTrue(run.process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(130, run.process.exitValue(), run.log());
        assertFalse(run.log().contains("Exception"), run.log());
    }

    @Test
    void aSecondGroupSigtermLaterStopsAtOnce() throws Exception {
        Run run = start("twice", List.of("setsid"));
        run.awaitTraining();
        signalGroup("TERM", run.process.pid());
        run.awaitLog(ONCE);
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(spsn.train.StopSignal.SAME_REQUEST) + 500);
        if (run.process.isAlive()) {
            signalGroup("TERM", run.process.pid());
            assertTrue(run.process.waitFor(60, TimeUnit.SECONDS));
            String log = run.log();
            assertEquals(130, run.process.exitValue(), log);
            assertTrue(log.contains("SIGTERM again: stopping now, without saving") || log.contains("Stopped ("), log);
        }
    }

    /**
     * Skips when this JVM inherited {@code signal} ignored (started under nohup, or in the
     * background of a script, which ignores SIGINT): the runs started here inherit that, and the
     * JVM rightly keeps an ignored stop signal ignored, so they would not stop.
     */
    private static void assumeHandled(int number, String signal) throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                long ignored = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                assumeTrue((ignored & (1L << (number - 1))) == 0, signal + " is ignored where the tests run (nohup, or "
                        + "a script's background job); the runs started here would rightly keep ignoring it");
            }
        }
    }

    private Run start(String name, List<String> launcher) throws IOException {
        Path dir = tmp.resolve(name);
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), "spsn.cli.Main"));
        command.addAll(RUN);
        command.addAll(List.of("--output_dir", dir.toString()));
        Path log = tmp.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("SPSN_NO_RELAUNCH");
        return new Run(builder.start(), dir, log);
    }

    private static void signalGroup(String signal, long leader) throws Exception {
        kill(signal, "--", "-" + leader);
    }

    private static void kill(String signal, String... targets) throws Exception {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        command.addAll(List.of(targets));
        Process kill = new ProcessBuilder(command).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, kill.exitValue(), "kill " + command);
    }

    private record Run(Process process, Path dir, Path logFile) {

        String log() throws IOException {
            return Files.exists(logFile) ? Files.readString(logFile) : "";
        }

        /** Waits until epoch 1 is done: the run is armed and a stop must save it. */
        void awaitTraining() throws Exception {
            awaitLog("Epoch 1/");
        }

        void awaitLog(String text) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!log().contains(text)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new AssertionError("no '" + text + "' in the log (exit "
                            + (process.isAlive() ? "none" : process.exitValue()) + "): " + log());
                }
                Thread.sleep(10);
            }
        }

        Path checkpoint() throws IOException {
            return Cli.onlyFile(dir, "checkpoint_LIF_", ".json");
        }

        void assertStoppedAndSaved(String signal) throws Exception {
            assertTrue(process.waitFor(90, TimeUnit.SECONDS), "stops at the next batch boundary");
            String log = log();
            assertEquals(130, process.exitValue(), log);
            assertEquals(1, log.split(ONCE, -1).length - 1, "one stop request, announced once: " + log);
            assertTrue(log.contains("spsn: " + signal + ": " + ONCE), log);
            assertFalse(log.contains("again:"), log);
            assertFalse(log.contains("Exception"), log);
            Checkpoint saved = Checkpoint.read(checkpoint());
            assertTrue(log.contains("continue with --resume " + checkpoint()), log);
            Path partialFile = Cli.onlyFile(dir, "results_LIF_", ".json");
            assertEquals(partialFile.getFileName().toString(), saved.state().partialResults());
            RunResult partial = RunResult.read(partialFile, partialFile.getFileName().toString());
            assertTrue(partial.partial());
            assertTrue(saved.state().epochsDone() >= 1, saved.state().describe());
        }
    }
}
