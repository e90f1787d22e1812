package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spsn.io.StateDict;
import spsn.io.TorchStateDictReader;
import spsn.io.TorchStateDictWriter;
import spsn.train.RunInterruptedException;
import spsn.train.RunSettings;
import spsn.train.TrainingRun;

/** --resume on the command line: what it refuses, and a run that diverges after resuming. */
class ResumeCliTest {

    @TempDir
    Path tmp;

    /**
     * A checkpoint after epoch 1 of 3 (2 batches per epoch), as Ctrl-C at that point leaves it:
     * the run is stopped through the API, as the signal handler would stop it.
     */
    private Path checkpointAfterOneEpoch(Path dir) throws IOException {
        Path checkpoint = stoppedAtQuestion(dir, 3);
        assertEquals(0, Cli.json(checkpoint).get("epoch_progress").get("next_batch").asInt());
        return checkpoint;
    }

    /** Stopped at the n-th question of the trainer (asked before each epoch and after each batch but the last). */
    private Path stoppedAtQuestion(Path dir, int n) throws IOException {
        RunSettings settings = TrainingFlags.check(List.of("--seed", "11", "--dataset", "synthetic", "--neuron",
                "SPSN-GS", "--nb_epochs", "3", "--batch_size", "16", "--hidden_size", "16", "--output_dir",
                dir.toString(), "--device", "cpu", "--synthetic_train", "32", "--synthetic_test", "16", "--progress",
                "False"));
        AtomicInteger asked = new AtomicInteger();
        TrainingRun run = new TrainingRun(settings, new PrintWriter(new StringWriter()), "test")
                .stopWhen(() -> asked.incrementAndGet() >= n);
        assertThrows(RunInterruptedException.class, run::run);
        Path checkpoint = Cli.onlyFile(dir, "checkpoint_SPSN-GS_", ".json");
        assertEquals(1, Cli.json(checkpoint).get("epochs_done").asInt());
        return checkpoint;
    }

    /**
     * A loss that turns NaN stops the run with exit code 1 and a one-line message, and leaves
     * the last good checkpoint as it was. The trigger: the checkpoint's Adamax first moments
     * set to NaN, so the first update after resuming poisons the weights and the next batch's
     * loss is NaN.
     */
    @Test
    void aNonFiniteLossStopsTheRunAndKeepsTheLastCheckpoint() throws IOException {
        Path dir = tmp.resolve("out");
        Path checkpoint = checkpointAfterOneEpoch(dir);
        Path tensors = dir.resolve(Cli.json(checkpoint).get("tensors").asText());
        StateDict dict = TorchStateDictReader.read(tensors);
        int poisoned = 0;
        for (String key : dict.keys()) {
            if (key.startsWith("adamax.exp_avg.")) {
                Arrays.fill(dict.get(key).data(), Float.NaN);
                poisoned++;
            }
        }
        assertEquals(8, poisoned, "first moments of 4 weights and 4 biases: " + dict.keys());
        Files.delete(tensors);
        TorchStateDictWriter.write(tensors, dict);
        byte[] jsonBefore = Files.readAllBytes(checkpoint);
        byte[] tensorsBefore = Files.readAllBytes(tensors);
        List<Path> filesBefore = Cli.files(dir, "", "");

        Cli.run("--resume", checkpoint.toString()).assertError(1, "the training loss became NaN in epoch 2 (batch 2 of 2)",
                "the last checkpoint, " + checkpoint + " (1 epoch done), is kept");
        assertArrayEquals(jsonBefore, Files.readAllBytes(checkpoint));
        assertArrayEquals(tensorsBefore, Files.readAllBytes(tensors));
        assertEquals(filesBefore, Cli.files(dir, "", ""), "no file added or removed");
    }

    @Test
    void settingsOfTheRunCannotChangeOnResume() {
        Path any = tmp.resolve("checkpoint_LIF_1.json");
        Cli.run("--resume", any.toString(), "--seed", "3")
                .assertError(2, "--seed cannot be given with --resume", "--nb_epochs");
        Cli.run("--resume", any.toString(), "--hidden_size", "8")
                .assertError(2, "--hidden_size cannot be given with --resume");
    }

    @Test
    void tooFewEpochsForWhatTheCheckpointHasDone() throws IOException {
        // Questions: before epoch 1, after its batch 1, before epoch 2, after its batch 1: stop there.
        Path checkpoint = stoppedAtQuestion(tmp.resolve("out"), 4);
        Cli.run("--resume", checkpoint.toString(), "--nb_epochs", "1").assertError(2, "--nb_epochs 1",
                checkpoint.toString(), "1 epoch and 1 of 2 batches of epoch 2 done", "at least 2");
    }

    @Test
    void missingCheckpoint() {
        Path missing = tmp.resolve("checkpoint_LIF_1.json");
        Cli.run("--resume", missing.toString()).assertError(1, "checkpoint " + missing, "does not exist");
    }

    @Test
    void checkpointTensorsInsteadOfItsJson() {
        Path pt = tmp.resolve("checkpoint_LIF_1.3.pt");
        Cli.run("--resume", pt.toString()).assertError(2, "--resume " + pt, ".json");
    }

    @Test
    void jsonThatIsNotACheckpoint() throws IOException {
        Path results = Files.writeString(tmp.resolve("results_LIF_1.json"), "{\"loss_hist\": []}");
        Cli.run("--resume", results.toString()).assertError(1, results.toString(), "is not a checkpoint");
    }

    @Test
    void checkpointWhoseTensorsAreGone() throws IOException {
        Path dir = tmp.resolve("out");
        Path checkpoint = checkpointAfterOneEpoch(dir);
        JsonNode saved = Cli.json(checkpoint);
        Files.delete(dir.resolve(saved.get("tensors").asText()));
        Cli.run("--resume", checkpoint.toString()).assertError(1, "checkpoint " + checkpoint + " is damaged",
                "tensors file", "is missing");
    }

    /** The prefix form (no .json) and a new epoch target: the run continues to the end. */
    @Test
    void resumeByPrefixAndExtendTheRun() throws IOException {
        Path dir = tmp.resolve("out");
        Path checkpoint = checkpointAfterOneEpoch(dir);
        String prefix = checkpoint.toString().substring(0, checkpoint.toString().length() - ".json".length());
        Cli.Result result = Cli.run("--resume", prefix, "--nb_epochs", "4", "--progress", "False").assertOk();
        assertTrue(result.out().contains("Resuming run"), result.out());
        JsonNode results = Cli.json(Cli.onlyFile(dir, "results_SPSN-GS_", ".json"));
        assertEquals(4, results.get("loss_hist").size());
        assertEquals(4, results.get("PARAMS").get("nb_epochs").asInt());
        assertTrue(results.get("test_accuracies").isNumber());
        assertEquals(List.of(), Cli.files(dir, "checkpoint_", ""), "checkpoint removed at the end");
    }
}
