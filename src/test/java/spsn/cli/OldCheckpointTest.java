package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import spsn.SpsnException;
import spsn.train.Checkpoint;
import spsn.train.RunSettings;

/**
 * Checkpoints written by the tool before the settings schema (format version 1, fixtures in
 * resources/settings/checkpoint-*: a run stopped in its second epoch, and the results that the
 * tool of that time wrote when it resumed them) still read and resume to the same numbers.
 */
class OldCheckpointTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> SAME = List.of("train_accuracies", "test_accuracies", "test_confusion", "test_predictions", "test_every_epochs", "test_accuracy_hist",
            "valid_accuracies", "selected_epoch", "seed", "class_names", "partial");
    /**
     * Float sums, equal to float32 rounding only: the fixtures were written before the integration
     * became the Java recurrence (LeakyRecurrence), which adds in another order than the chunked
     * products did. What they decide (accuracies, predictions, the confusion) stays exact.
     */
    private static final List<String> CLOSE = List.of("loss_hist", "valid_loss_hist", "nb_spikes");
    private static final double RELATIVE = 1e-5;

    @TempDir
    Path tmp;

    /** The flags the fixtures were written with (their --output_dir was a temporary folder). */
    static Stream<Arguments> fixtures() {
        return Stream.of(
                Arguments.of("spsn-sb", List.of("--dataset", "synthetic", "--neuron", "SPSN-SB", "--seed", "11",
                        "--nb_epochs", "3", "--batch_size", "16", "--hidden_size", "4", "--nb_layers", "2",
                        "--synthetic_train", "32", "--synthetic_test", "16", "--data_augmentation", "True",
                        "--reg_thr", "0.01", "--test_every", "2", "--valid_fraction", "0.25", "--select", "best",
                        "--progress", "False", "--device", "cpu")),
                Arguments.of("paralif-sd", List.of("--dataset", "synthetic", "--neuron", "ParaLIF-SD", "--seed", "12",
                        "--nb_epochs", "3", "--batch_size", "16", "--hidden_size", "4", "--nb_layers", "2",
                        "--synthetic_train", "32", "--synthetic_test", "16", "--recurrent", "--learn_tau",
                        "--reg_thr_r", "0.05", "--loss_mode", "cumsum", "--lr", "2e-3", "--weight_decay", "1e-4",
                        "--progress", "False", "--device", "cpu")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void readsAsTheSettingsItWasStartedWith(String name, List<String> flags) throws IOException {
        Path json = copy(name);
        Checkpoint checkpoint = Checkpoint.read(json);
        assertEquals(expected(flags, json), checkpoint.settings());
        assertEquals(1, checkpoint.state().history().epochsDone());
    }

    /** Version 1 before ParaLIF's flags and validation existed: without them, their defaults. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void readsWithoutTheSettingsAddedLater(String name, List<String> flags) throws IOException {
        Path json = copy(name);
        ObjectNode root = (ObjectNode) JSON.readTree(json.toFile());
        ObjectNode settings = (ObjectNode) root.get("settings");
        boolean paraLifAtDefaults = name.equals("spsn-sb");
        List<String> removed = paraLifAtDefaults ? List.of("paralif") : List.of("valid_fraction", "select");
        settings.remove(removed);
        JSON.writeValue(json.toFile(), root);
        assertEquals(expected(flags, json), Checkpoint.read(json).settings(), "without " + removed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aDamagedSettingIsNamed(String name, List<String> flags) throws IOException {
        Path json = copy(name);
        ObjectNode root = (ObjectNode) JSON.readTree(json.toFile());
        ((ObjectNode) root.get("settings")).put("hidden_size", "four");
        JSON.writeValue(json.toFile(), root);
        SpsnException e = org.junit.jupiter.api.Assertions.assertThrows(SpsnException.class,
                () -> Checkpoint.read(json));
        assertEquals(SpsnException.DATA, e.exitCode());
        assertTrue(e.getMessage().contains("checkpoint " + json + " is damaged: settings.hidden_size: \"four\""),
                e.getMessage());
    }

    /** spsn --resume on the old checkpoint ends with the numbers, and the PARAMS text, of the tool that wrote it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void resumesToTheNumbersOfTheToolThatWroteIt(String name, List<String> flags) throws IOException {
        Path json = copy(name);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TrainingFlags.run(new PrintWriter(out), new PrintWriter(err), List.of("--resume", json.toString()));
        assertEquals(0, code, out + "\n" + err);
        JsonNode then = JSON.readTree(fixture(name).resolve("resumed-results.json").toFile());
        Path results;
        try (Stream<Path> files = Files.list(json.getParent())) {
            results = files.filter(p -> p.getFileName().toString().startsWith("results_")).findFirst().orElseThrow();
        }
        JsonNode now = JSON.readTree(results.toFile());
        for (String key : SAME) {
            assertEquals(then.get(key), now.get(key), key);
        }
        for (String key : CLOSE) {
            assertClose(then.get(key), now.get(key), key);
        }
        assertEquals(JSON.writeValueAsString(then.get("PARAMS")), JSON.writeValueAsString(now.get("PARAMS")));
    }

    /** Same shape, numbers within {@link #RELATIVE} of each other (nulls and strings equal). */
    private static void assertClose(JsonNode then, JsonNode now, String key) {
        if (then == null || now == null || !then.isContainerNode() && !then.isNumber()) {
            assertEquals(then, now, key);
        } else if (then.isNumber()) {
            assertTrue(now.isNumber(), key + ": " + now);
            double a = then.asDouble();
            double b = now.asDouble();
            assertTrue(Math.abs(a - b) <= RELATIVE * Math.max(Math.abs(a), Math.abs(b)), key + ": " + a + " against " + b);
        } else {
            assertEquals(then.size(), now.size(), key + " size");
            for (int i = 0; i < then.size(); i++) {
                assertClose(then.get(i), now.get(i), key + "[" + i + "]");
            }
        }
    }

    private static RunSettings expected(List<String> flags, Path json) throws IOException {
        List<String> all = new ArrayList<>(flags);
        all.add("--output_dir");
        all.add(JSON.readTree(json.toFile()).get("settings").get("output_dir").asText());
        return TrainingFlags.check(all);
    }

    private Path copy(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Path json = null;
        try (Stream<Path> files = Files.list(fixture(name))) {
            for (Path f : files.toList()) {
                String file = f.getFileName().toString();
                if (file.startsWith("checkpoint_")) {
                    Files.copy(f, dir.resolve(file));
                    json = file.endsWith(".json") ? dir.resolve(file) : json;
                }
            }
        }
        assertTrue(json != null, "a checkpoint in " + fixture(name));
        return json;
    }

    private static Path fixture(String name) {
        try {
            return Path.of(OldCheckpointTest.class.getResource("/settings/checkpoint-" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
