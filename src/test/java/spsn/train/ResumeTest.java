package spsn.train;

import spsn.cli.TrainingFlags;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints and resume inside one JVM, with stops requested at chosen batch boundaries (the
 * command line requests them on SIGINT/SIGTERM; see spsn.cli.ProcessSignalsTest for real signals).
 */
class ResumeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SAME = List.of("loss_hist", "train_accuracies", "test_accuracies", "nb_spikes",
            "test_confusion", "test_predictions", "test_every_epochs", "test_accuracy_hist");

    @TempDir
    Path tmp;

    /** Stochastic neurons, augmentation, interim tests: every random stream a resume must restart. */
    static RunSettings settings(Long seed, Path outputDir, int epochs) {
        List<String> flags = new java.util.ArrayList<>(List.of("--dataset", "synthetic", "--neuron", "SPSN-SB",
                "--nb_epochs", String.valueOf(epochs), "--batch_size", "16", "--hidden_size", "16",
                "--data_augmentation", "True", "--output_dir", outputDir.toString(), "--device", "cpu", "--synthetic_train", "32",
                "--synthetic_test", "16", "--test_every", "2", "--progress", "False"));
        if (seed != null) {
            flags.addAll(List.of("--seed", seed.toString()));
        }
        return TrainingFlags.check(flags);
    }

    /** True from the {@code n}-th question on: the trainer asks after every batch but an epoch's last. */
    static BooleanSupplier stopAtQuestion(int n) {
        AtomicInteger asked = new AtomicInteger();
        return () -> asked.incrementAndGet() >= n;
    }

    private static TrainingRun run(RunSettings settings) {
        return new TrainingRun(settings, new PrintWriter(new StringWriter()), "test");
    }

    /**
     * An unseeded run stopped within its second epoch, then resumed, ends with the numbers of an
     * uninterrupted run given the seed the first one drew (which its checkpoint keeps).
     */
    @Test
    void anUnseededRunStoppedMidEpochResumesToTheUninterruptedNumbers() throws IOException {
        Path dir = tmp.resolve("interrupted");
        // Questions: before epoch 1, after its batch 1; before epoch 2, after its batch 1 -> stop there.
        RunInterruptedException stopped = assertThrows(RunInterruptedException.class,
                () -> run(settings(null, dir, 3)).stopWhen(stopAtQuestion(4)).run());
        assertEquals(130, stopped.exitCode());

        Path checkpointFile = only(dir, "checkpoint_SPSN-SB_", ".json");
        assertTrue(stopped.getMessage().contains("--resume " + checkpointFile), stopped.getMessage());
        JsonNode saved = JSON.readTree(checkpointFile.toFile());
        assertEquals(1, saved.get("epochs_done").asInt());
        assertEquals(1, saved.get("epoch_progress").get("next_batch").asInt());
        assertEquals(2, saved.get("epoch_progress").get("batches").asInt());
        assertTrue(saved.get("settings").get("seed").isNull(), "unseeded, as asked");
        Path partialFile = only(dir, "results_SPSN-SB_", ".json");
        JsonNode partial = JSON.readTree(partialFile.toFile());
        assertTrue(partial.get("partial").asBoolean());
        assertEquals(1, partial.get("loss_hist").size(), "completed epochs only");
        assertTrue(partial.get("test_accuracies").isNull());

        Checkpoint checkpoint = Checkpoint.read(checkpointFile);
        long drawn = checkpoint.state().seed();
        Path results = run(checkpoint.settings()).resumeFrom(checkpoint, checkpoint.folder()).run();
        assertEquals(partialFile, results, "the final results replace the run's partial ones");
        Path metrics = dir.resolve(results.getFileName().toString().replace("results_", "metrics_")
                .replace(".json", ".csv"));
        assertEquals(List.of(metrics, results), files(dir), "checkpoint removed once the run completed");

        Path reference = run(settings(drawn, tmp.resolve("reference"), 3)).run();
        JsonNode resumed = JSON.readTree(results.toFile());
        JsonNode uninterrupted = JSON.readTree(reference.toFile());
        for (String key : SAME) {
            assertEquals(uninterrupted.get(key), resumed.get(key), key);
        }
        assertEquals(3, resumed.get("loss_hist").size());
        assertEquals(List.of(2, 3), List.of(resumed.get("test_every_epochs").get(0).asInt(),
                resumed.get("test_every_epochs").get(1).asInt()));
        assertFalse(resumed.get("partial").asBoolean());
        assertEquals(drawn, resumed.get("seed").asLong(), "the seed it used, drawn before the stop");
        assertEquals(drawn, partial.get("seed").asLong(), "the partial results name it too");
        assertTrue(resumed.get("PARAMS").get("seed").isNull(), "PARAMS still reports it unseeded, as asked");
    }

    /**
     * Results and model files never overwrite: names taken when the run starts, or taken while
     * it runs, move its id forward, and the files in the way stay as they were.
     */
    @Test
    void filesWithTheRunsNameAreNeverOverwritten() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("out"));
        long now = System.currentTimeMillis() / 1000;
        for (long id = now; id < now + 3; id++) {
            Files.writeString(dir.resolve("results_SPSN-SB_" + id + ".json"), "{\"someone\": \"else\"}");
        }
        RunSettings base = settings(7L, dir, 1);
        ObjectNode flat = base.flat();
        flat.put("nb_epochs", 1).put("save_model", true).put("test_every", 0);
        RunSettings s = RunSettings.fromFlat(flat);
        String[] taken = new String[2];
        BooleanSupplier takeNamesMidRun = () -> {
            if (taken[0] == null) {
                String checkpoint = only(dir, "checkpoint_SPSN-SB_", ".json").getFileName().toString();
                String id = checkpoint.substring("checkpoint_SPSN-SB_".length(), checkpoint.length() - ".json".length());
                taken[0] = "results_SPSN-SB_" + id + ".json";
                taken[1] = "model_SPSN-SB_" + id + ".pt";
                write(dir.resolve(taken[0]), "late results");
                write(dir.resolve(taken[1]), "late model");
            }
            return false;
        };
        Path results = run(s).stopWhen(takeNamesMidRun).run();
        assertNotNull(taken[0]);
        long runId = Long.parseLong(taken[0].replaceAll("\\D", ""));
        assertTrue(runId >= now + 3, "the run started past the taken ids: " + runId);
        assertEquals(dir.resolve("results_SPSN-SB_" + (runId + 1) + ".json"), results);
        assertTrue(Files.isRegularFile(dir.resolve("model_SPSN-SB_" + (runId + 1) + ".pt")));
        assertEquals("late results", Files.readString(dir.resolve(taken[0])));
        assertEquals("late model", Files.readString(dir.resolve(taken[1])));
        for (long id = now; id < now + 3; id++) {
            assertEquals("{\"someone\": \"else\"}", Files.readString(dir.resolve("results_SPSN-SB_" + id + ".json")));
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path only(Path dir, String prefix, String suffix) {
        List<Path> found = files(dir).stream().filter(p -> p.getFileName().toString().startsWith(prefix)
                && p.getFileName().toString().endsWith(suffix)).toList();
        assertEquals(1, found.size(), prefix + "*" + suffix + " in " + files(dir));
        return found.get(0);
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
