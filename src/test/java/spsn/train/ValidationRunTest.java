package spsn.train;

import spsn.cli.TrainingFlags;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spsn.io.StateDict;
import spsn.io.TorchStateDictReader;

/**
 * Validation after every epoch and --select best, in one JVM: the selected parameters are those
 * a run trained for exactly that many epochs ends with; selection does not change training; a
 * resumed run keeps them.
 */
class ValidationRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EPOCHS = 4;

    @TempDir
    Path tmp;

    /** The SSC-shaped synthetic set (35 classes, its own validation split), stochastic neurons. */
    private static RunSettings settings(Path out, int epochs, ModelSelection select, boolean saveModel) {
        return TrainingFlags.check(List.of("--seed", "5", "--dataset", "synthetic-ssc", "--neuron", "SPSN-SB",
                "--nb_epochs", String.valueOf(epochs), "--batch_size", "16", "--hidden_size", "16", "--nb_layers",
                "2", "--save_model", saveModel ? "True" : "False", "--output_dir", out.toString(), "--device", "cpu",
                "--synthetic_train", "70", "--synthetic_test", "35", "--progress", "False", "--select",
                select.cliName()));
    }

    private static TrainingRun run(RunSettings settings) {
        return new TrainingRun(settings, new PrintWriter(new StringWriter()), "test");
    }

    @Test
    void bestSelectionKeepsTheParametersOfTheBestValidationEpoch() throws IOException {
        JsonNode last = JSON.readTree(run(settings(tmp.resolve("last"), EPOCHS, ModelSelection.LAST, false)).run()
                .toFile());
        Path bestResults = run(settings(tmp.resolve("best"), EPOCHS, ModelSelection.BEST, true)).run();
        JsonNode best = JSON.readTree(bestResults.toFile());

        // Selecting does not change training or validation.
        for (String key : List.of("loss_hist", "train_accuracies", "valid_accuracies", "valid_loss_hist")) {
            assertEquals(last.get(key), best.get(key), key);
        }
        assertEquals(EPOCHS, best.get("valid_accuracies").size());
        assertEquals(EPOCHS, last.get("selected_epoch").asInt());
        int expected = argBest(best.get("valid_accuracies"), best.get("valid_loss_hist"));
        assertEquals(expected, best.get("selected_epoch").asInt());
        assertEquals("best", best.get("PARAMS").get("select").asText());

        // The saved model is what a run of exactly that many epochs ends with.
        Path exactly = run(settings(tmp.resolve("exactly"), expected, ModelSelection.LAST, true)).run();
        assertSameModel(only(tmp.resolve("exactly"), "model_", ".pt"), only(tmp.resolve("best"), "model_", ".pt"));
        JsonNode exact = JSON.readTree(exactly.toFile());
        // ... and the test ran on it: the same test pass (same seed, same parameters) as that run's.
        assertEquals(exact.get("test_accuracies"), best.get("test_accuracies"));
        assertEquals(exact.get("test_confusion"), best.get("test_confusion"));
    }

    @Test
    void aResumedRunKeepsTheBestEpochsParameters() throws IOException {
        Path reference = run(settings(tmp.resolve("reference"), EPOCHS, ModelSelection.BEST, true)).run();
        Path dir = tmp.resolve("stopped");
        // 70 samples in batches of 16: 5 batches, 5 stop questions per epoch; question 12 is
        // after the first batch of epoch 3, when a best epoch has been kept.
        assertThrows(RunInterruptedException.class,
                () -> run(settings(dir, EPOCHS, ModelSelection.BEST, true)).stopWhen(ResumeTest.stopAtQuestion(12))
                        .run());
        Path checkpointFile = only(dir, "checkpoint_", ".json");
        JsonNode saved = JSON.readTree(checkpointFile.toFile());
        assertTrue(saved.get("best_epoch").asInt() >= 1, saved.toString());
        assertEquals(2, saved.get("history").get("valid_accuracies").size());

        Checkpoint checkpoint = Checkpoint.read(checkpointFile);
        assertEquals(saved.get("best_epoch").asInt(), checkpoint.state().bestEpoch());
        Path results = run(checkpoint.settings()).resumeFrom(checkpoint, checkpoint.folder()).run();
        JsonNode resumed = JSON.readTree(results.toFile());
        JsonNode uninterrupted = JSON.readTree(reference.toFile());
        for (String key : List.of("loss_hist", "valid_accuracies", "valid_loss_hist", "selected_epoch",
                "test_accuracies", "test_confusion", "nb_spikes")) {
            assertEquals(uninterrupted.get(key), resumed.get(key), key);
        }
        assertSameModel(only(tmp.resolve("reference"), "model_", ".pt"), only(dir, "model_", ".pt"));
    }

    @Test
    void withoutValidationTheResultsHaveNoValidationKeys() throws IOException {
        RunSettings s = TrainingFlags.check(List.of("--seed", "5", "--dataset", "synthetic", "--neuron",
                "Non-Spiking", "--nb_epochs", "1", "--batch_size", "16", "--hidden_size", "16", "--nb_layers", "2",
                "--output_dir", tmp.toString(), "--device", "cpu", "--synthetic_train", "32", "--synthetic_test",
                "16", "--progress", "False", "--checkpoint_every", "0"));
        JsonNode results = JSON.readTree(run(s).run().toFile());
        assertFalse(results.has("valid_accuracies"));
        assertFalse(results.has("selected_epoch"));
        assertEquals(0.0, results.get("PARAMS").get("valid_fraction").asDouble());
        assertEquals("last", results.get("PARAMS").get("select").asText());
    }

    /** The 1-based epoch of the highest accuracy, ties to the lower loss, then the earlier epoch. */
    private static int argBest(JsonNode accuracies, JsonNode losses) {
        int best = 0;
        for (int e = 1; e < accuracies.size(); e++) {
            double a = accuracies.get(e).asDouble();
            double b = accuracies.get(best).asDouble();
            if (a > b || a == b && losses.get(e).asDouble() < losses.get(best).asDouble()) {
                best = e;
            }
        }
        return best + 1;
    }

    private static void assertSameModel(Path expected, Path actual) {
        StateDict a = TorchStateDictReader.read(expected);
        StateDict b = TorchStateDictReader.read(actual);
        assertEquals(a.keys(), b.keys());
        for (String key : a.keys()) {
            assertArrayEquals(a.get(key).data(), b.get(key).data(), key);
        }
    }

    private static Path only(Path dir, String prefix, String suffix) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            List<Path> found = list.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(suffix)).toList();
            assertEquals(1, found.size(), prefix + "*" + suffix + " in " + dir + ": " + found);
            return found.get(0);
        }
    }
}
