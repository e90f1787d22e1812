package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spsn.train.Checkpoint;
import spsn.train.RunInterruptedException;
import spsn.train.RunSettings;
import spsn.train.TrainingRun;

/**
 * A run's identity in its folder: its id claimed at start whatever --checkpoint_every is, one
 * resume of a checkpoint at a time (with a lock that a crash releases), paths compared as
 * files, a resumed checkpoint under another name retired, and the leftovers of a kill -9
 * during a write swept away.
 */
class RunIdentityTest {

    @TempDir
    Path tmp;

    private static RunSettings settings(Path dir, int checkpointEvery) {
        return TrainingFlags.check(List.of("--seed", "11", "--dataset", "synthetic", "--neuron", "SPSN-GS",
                "--nb_epochs", "3", "--batch_size", "16", "--hidden_size", "16", "--output_dir", dir.toString(),
                "--device", "cpu", "--synthetic_train", "32", "--synthetic_test", "16", "--progress", "False",
                "--checkpoint_every", String.valueOf(checkpointEvery)));
    }

    private static TrainingRun run(RunSettings settings, BooleanSupplier stop) {
        return new TrainingRun(settings, new PrintWriter(new StringWriter()), "test").stopWhen(stop);
    }

    /** A checkpoint after epoch 1 of 3 (stopped before epoch 2). */
    private static Path checkpointAfterOneEpoch(Path dir) throws IOException {
        AtomicInteger asked = new AtomicInteger();
        assertThrows(RunInterruptedException.class, run(settings(dir, 1), () -> asked.incrementAndGet() >= 3)::run);
        return Cli.onlyFile(dir, "checkpoint_SPSN-GS_", ".json");
    }

    /**
     * Run B starts while run A (--checkpoint_every 0, so no file of A exists yet) is training in
     * the same folder; both are then stopped. Each must get an id of its own and save.
     */
    @Test
    void aRunWithoutCheckpointsStillClaimsItsIdAtStart() throws IOException {
        Path dir = tmp.resolve("out");
        AtomicReference<Throwable> second = new AtomicReference<>();
        BooleanSupplier startSecondThenStop = () -> {
            if (second.get() == null) {
                second.set(assertThrows(RunInterruptedException.class, run(settings(dir, 0), () -> true)::run));
            }
            return true;
        };
        RunInterruptedException first = assertThrows(RunInterruptedException.class,
                run(settings(dir, 0), startSecondThenStop)::run);
        assertNotNull(second.get());
        List<Path> checkpoints = Cli.files(dir, "checkpoint_SPSN-GS_", ".json");
        assertEquals(2, checkpoints.size(), first.getMessage() + " / " + second.get().getMessage());
        assertNotEquals(Cli.json(checkpoints.get(0)).get("run_id"), Cli.json(checkpoints.get(1)).get("run_id"));
        assertEquals(2, Cli.files(dir, "results_SPSN-GS_", ".json").size(), "two partial results");
        assertEquals(List.of(), Cli.files(dir, "run_", ".lock"), "locks removed when the runs end");
    }

    /** While a resume of a checkpoint runs, a second one of the same checkpoint is refused at once. */
    @Test
    void aSecondResumeOfTheSameCheckpointIsRefused() throws IOException {
        Path dir = tmp.resolve("out");
        Path checkpoint = checkpointAfterOneEpoch(dir);
        AtomicReference<Cli.Result> second = new AtomicReference<>();
        TrainingRun first = new TrainingRun(Checkpoint.read(checkpoint).settings(), new PrintWriter(new StringWriter()),
                "test").resumeFrom(Checkpoint.read(checkpoint), dir).stopWhen(() -> {
                    if (second.get() == null) {
                        second.set(Cli.run("--resume", checkpoint.toString(), "--progress", "False"));
                    }
                    return false;
                });
        first.run();
        second.get().assertError(1, "checkpoint " + checkpoint, "is in use by another run in progress",
                "run_SPSN-GS_", ".lock", "wait for it to end or stop it first");
        assertEquals(1, Cli.files(dir, "results_SPSN-GS_", ".json").size(), "one results file for one run");
        assertEquals(List.of(), Cli.files(dir, "checkpoint_", ""), "checkpoint removed at the end");
    }

    /** The same across processes, and a resume killed with SIGKILL leaves no lock that blocks the next one. */
    @Test
    void aResumeInAnotherProcessBlocksOneHereUntilItIsKilled() throws Exception {
        Path dir = tmp.resolve("out");
        Path checkpoint = checkpointAfterOneEpoch(dir);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), "spsn.cli.Main", "--resume", checkpoint.toString(),
                "--nb_epochs", "100000", "--checkpoint_every", "0", "--progress", "False"));
        Path log = tmp.resolve("log.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPSN_NO_RELAUNCH", "1");
        Process other = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.readString(log).contains("Epoch 2/")) {
                assertTrue(other.isAlive() && System.nanoTime() < deadline, Files.readString(log));
                Thread.sleep(10);
            }
            Cli.run("--resume", checkpoint.toString(), "--progress", "False").assertError(1, "checkpoint " + checkpoint,
                    "is in use by another run in progress (pid " + other.pid() + ")");
        } finally {
            other.destroyForcibly();
            assertTrue(other.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(1, Cli.files(dir, "run_SPSN-GS_", ".lock").size(), "SIGKILL leaves the lock file, unlocked");
        Cli.run("--resume", checkpoint.toString(), "--progress", "False").assertOk();
        assertEquals(List.of(), Cli.files(dir, "run_", ".lock"));
        assertEquals(1, Cli.files(dir, "results_SPSN-GS_", ".json").size());
    }

    /** {@code --resume o/ck.json --output_dir ./o}: the same folder, spelled differently. */
    @Test
    void theCheckpointsFolderSpelledAnotherWayIsTheSameFolder() throws IOException {
        Path dir = tmp.resolve("out");
        Path checkpoint = checkpointAfterOneEpoch(dir);
        Cli.run("--resume", checkpoint.toString(), "--output_dir", tmp.resolve(".").resolve("out").toString(),
                "--progress", "False").assertOk();
        assertEquals(1, Cli.files(dir, "results_SPSN-GS_", ".json").size());
        assertEquals(List.of(), Cli.files(dir, "checkpoint_", ""), "checkpoint removed at the end");
    }

    /** A renamed checkpoint is retired when its run completes: it cannot be resumed again. */
    @Test
    void aRenamedCheckpointIsRemovedWhenItsRunCompletes() throws IOException {
        Path dir = tmp.resolve("out");
        Path checkpoint = checkpointAfterOneEpoch(dir);
        Path renamed = Files.move(checkpoint, dir.resolve("before-lunch.json"));
        Cli.run("--resume", renamed.toString(), "--progress", "False").assertOk();
        assertFalse(Files.exists(renamed));
        assertEquals(List.of(), Cli.files(dir, "checkpoint_", ""), "its tensors too");
        assertEquals(1, Cli.files(dir, "results_SPSN-GS_", ".json").size());
        Cli.run("--resume", renamed.toString()).assertError(1, "does not exist");
    }

    /** Resumed into another folder: the old checkpoint is superseded as soon as the new one is saved. */
    @Test
    void aCheckpointResumedElsewhereCannotBeResumedTwice() throws IOException {
        Path dir = tmp.resolve("out");
        Path checkpoint = checkpointAfterOneEpoch(dir);
        Path elsewhere = tmp.resolve("elsewhere");
        Cli.run("--resume", checkpoint.toString(), "--output_dir", elsewhere.toString(), "--progress", "False").assertOk();
        assertFalse(Files.exists(checkpoint));
        assertEquals(1, Cli.files(elsewhere, "results_SPSN-GS_", ".json").size());
        assertEquals(List.of(), Cli.files(dir, "checkpoint_", ""));
    }

    /**
     * What a kill -9 in the middle of a checkpoint write leaves (the hidden temporary file of
     * the next tensors, or the next tensors complete but not yet named by the .json) and a lock
     * file of the dead process are removed by the next resume; the run then ends with nothing
     * but its results (and their metrics CSV) in the folder.
     */
    @Test
    void leftoversOfAKilledCheckpointWriteAreRemovedOnResume() throws IOException {
        Path dir = tmp.resolve("out");
        Path checkpoint = checkpointAfterOneEpoch(dir);
        String base = checkpoint.getFileName().toString().replace(".json", "");
        long id = Cli.json(checkpoint).get("run_id").asLong();
        Path tensors = dir.resolve(Cli.json(checkpoint).get("tensors").asText());
        Files.copy(tensors, dir.resolve(base + ".7.pt"));
        Files.writeString(dir.resolve("." + base + ".8.pt.3kz9q1.tmp"), "half a zip");
        Files.writeString(dir.resolve(".results_SPSN-GS_" + id + ".json.5fj2.tmp"), "{\"loss");
        Files.writeString(dir.resolve("run_SPSN-GS_" + id + ".lock"), deadPid() + "\n");
        Cli.Result result = Cli.run("--resume", checkpoint.toString(), "--progress", "False").assertOk();
        assertTrue(result.out().contains("removed 4 files left by runs killed while writing"), result.out());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(Cli.onlyFile(dir, "metrics_SPSN-GS_", ".csv"), Cli.onlyFile(dir, "results_SPSN-GS_",
                    ".json")), files.sorted().toList());
        }
    }

    /** Files of a run that a live process holds are not leftovers, even beside a new run. */
    @Test
    void aFreshRunLeavesTheFilesOfARunInProgressAlone() throws IOException {
        Path dir = tmp.resolve("out");
        Path checkpoint = checkpointAfterOneEpoch(dir);
        String base = checkpoint.getFileName().toString().replace(".json", "");
        Path pending = dir.resolve("." + base + ".2.pt.abc.tmp");
        AtomicReference<Cli.Result> fresh = new AtomicReference<>();
        Checkpoint saved = Checkpoint.read(checkpoint);
        new TrainingRun(saved.settings(), new PrintWriter(new StringWriter()), "test").resumeFrom(saved, dir)
                .stopWhen(() -> {
                    if (fresh.get() == null) {
                        try {
                            Files.writeString(pending, "being written"); // as if the resume were writing it now
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                        fresh.set(Cli.small("--output_dir", dir.toString(), "--nb_epochs", "1", "--seed", "3"));
                    }
                    return false;
                }).run();
        fresh.get().assertOk();
        assertFalse(fresh.get().out().contains("removed"), fresh.get().out());
        assertTrue(Files.exists(pending), "the temporary file of a run in progress is kept");
    }

    private static long deadPid() throws IOException {
        try {
            Process p = new ProcessBuilder("true").start();
            p.waitFor();
            return p.pid();
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }
}
