package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The tool as a separate process, stopped by real signals: SIGKILL loses at most the epoch in
 * progress (the last checkpoint survives and resumes exactly); SIGTERM saves a checkpoint and
 * partial results and exits with 130.
 */
class ProcessSignalsTest {

    /** Seeded, stochastic neurons, augmentation, 2 batches per epoch. */
    private static final List<String> RUN = List.of("--dataset", "synthetic", "--synthetic_train", "32",
            "--synthetic_test", "16", "--batch_size", "16", "--hidden_size", "16", "--progress", "False",
            "--seed", "21", "--neuron", "SPSN-SB", "--data_augmentation", "True", "--nb_epochs", "4");
    private static final List<String> SAME = List.of("loss_hist", "train_accuracies", "test_accuracies", "nb_spikes",
            "test_confusion", "test_predictions");
    private static JsonNode uninterrupted;

    @TempDir
    Path tmp;

    @Test
    void aRunKilledWithSigkillResumesToTheNumbersOfAnUninterruptedRun() throws Exception {
        Path dir = tmp.resolve("killed");
        Process child = start(dir);
        Path checkpoint = awaitCheckpoint(child, dir, 2);
        child.destroyForcibly();
        assertTrue(child.waitFor(300, TimeUnit.SECONDS));
        assertNotEquals(0, child.exitValue(), "killed, not finished");
        assertEquals(List.of(), Cli.files(dir, "results_", ".json"), "killed before the end: no results yet");

        Cli.run("--resume", checkpoint.toString(), "--progress", "False").assertOk();
        assertSameNumbers(Cli.json(Cli.onlyFile(dir, "results_SPSN-SB_", ".json")));
    }

    @Test
    void sigtermSavesACheckpointAndPartialResultsThenExits130() throws Exception {
        Path dir = tmp.resolve("terminated");
        Process child = start(dir);
        Path checkpoint = awaitCheckpoint(child, dir, 1);
        child.destroy(); // SIGTERM
        assertTrue(child.waitFor(300, TimeUnit.SECONDS), "stops at the next batch boundary");
        String log = Files.readString(tmp.resolve("log.txt"));
        assertEquals(130, child.exitValue(), log);
        assertTrue(log.contains("spsn: SIGTERM: stopping after the current batch"), log);
        assertTrue(log.contains("continue with --resume " + checkpoint), log);
        assertFalse(log.contains("Exception"), log);

        Checkpoint saved = Checkpoint.read(checkpoint);
        assertTrue(saved.state().epochsDone() >= 1 && saved.state().epochsDone() < 4, saved.state().describe());
        Path partialFile = Cli.onlyFile(dir, "results_SPSN-SB_", ".json");
        assertEquals(partialFile.getFileName().toString(), saved.state().partialResults());
        RunResult partial = RunResult.read(partialFile, partialFile.getFileName().toString());
        assertTrue(partial.partial());
        assertTrue(Double.isNaN(partial.testAccuracy()), "not tested yet");
        assertEquals(saved.state().epochsDone(), partial.lossHist().size());

        Cli.run("--resume", checkpoint.toString(), "--progress", "False").assertOk();
        assertSameNumbers(Cli.json(partialFile));
    }

    private Process start(Path dir) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), "spsn.cli.Main"));
        command.addAll(RUN);
        command.addAll(List.of("--output_dir", dir.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("log.txt").toFile()).start();
    }

    /** Waits until the run's checkpoint records at least {@code epochs} epochs, and returns it. */
    private Path awaitCheckpoint(Process child, Path dir, int epochs) throws Exception {
        // Only a guard against a hung child (no speed test): generous for slow, shared machines.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (System.nanoTime() < deadline) {
            List<Path> found = Cli.files(dir, "checkpoint_SPSN-SB_", ".json");
            if (found.size() == 1) {
                try {
                    if (Cli.json(found.get(0)).get("epochs_done").asInt() >= epochs) {
                        return found.get(0);
                    }
                } catch (IOException e) {
                    // Replaced while being read: read the new one next time.
                }
            }
            if (!child.isAlive()) {
                fail("the run ended (exit " + child.exitValue() + ") before a checkpoint of " + epochs + " epochs: "
                        + Files.readString(tmp.resolve("log.txt")));
            }
            Thread.sleep(10);
        }
        child.destroyForcibly();
        throw new AssertionError("no checkpoint of " + epochs + " epochs in 600 s: " + Files.readString(tmp.resolve("log.txt")));
    }

    private void assertSameNumbers(JsonNode resumed) throws IOException {
        if (uninterrupted == null) {
            Path reference = tmp.resolve("reference");
            List<String> args = new ArrayList<>(RUN);
            args.addAll(List.of("--output_dir", reference.toString()));
            Cli.run(args.toArray(String[]::new)).assertOk();
            uninterrupted = Cli.json(Cli.onlyFile(reference, "results_SPSN-SB_", ".json"));
        }
        assertFalse(resumed.get("partial").asBoolean());
        for (String key : SAME) {
            assertEquals(uninterrupted.get(key), resumed.get(key), key);
        }
    }
}
