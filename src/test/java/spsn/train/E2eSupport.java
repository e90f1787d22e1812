package spsn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import spsn.cli.Main;

/**
 * Runs the training command in this JVM, as a user would, and checks the results file it writes
 * against the original's documented format (REFERENCE.md), not against this port's code.
 */
final class E2eSupport {

    static final int NB_CLASSES = 20;
    static final int NB_CHANNELS = 700;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EPOCH_LINE = Pattern.compile("^Epoch (\\d+)/(\\d+)\\s+loss ");
    private static final Pattern RESULTS_NAME = Pattern.compile("results_(.+)_(\\d+)\\.json");

    /** run.py's flags with their defaults, in the order of its PARAMS (seed: none). */
    private static final Map<String, Object> ORIGINAL_DEFAULTS = originalDefaults();

    private E2eSupport() {
    }

    private static Map<String, Object> originalDefaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("seed", null);
        d.put("dataset", "heidelberg");
        d.put("neuron", "LIF");
        d.put("nb_epochs", 200L);
        d.put("tau_mem", 0.02);
        d.put("tau_syn", 0.02);
        d.put("batch_size", 64L);
        d.put("hidden_size", 128L);
        d.put("nb_layers", 3L);
        d.put("reg_thr", 0.0);
        d.put("loss_mode", "mean");
        d.put("data_augmentation", false);
        d.put("h_shift", 0.1);
        d.put("scale", 0.3);
        d.put("dir", "");
        d.put("save_model", false);
        return d;
    }

    /** What one command printed and returned. */
    record Run(int code, String out, String err, List<String> args) {

        Run assertOk() {
            assertEquals(0, code, "exit code of " + args + "\nstderr:\n" + err + "\nstdout:\n" + out);
            return this;
        }

        /** The epoch numbers of the "Epoch k/N  loss ..." lines, in the order printed. */
        List<Integer> epochLines() {
            List<Integer> epochs = new ArrayList<>();
            for (String line : out.lines().toList()) {
                Matcher m = EPOCH_LINE.matcher(line);
                if (m.find()) {
                    epochs.add(Integer.parseInt(m.group(1)));
                }
            }
            return epochs;
        }
    }

    /**
     * {@code java -jar spsn.jar --dataset synthetic --progress False --output_dir dir args...},
     * in this JVM, with its output captured.
     */
    static Run train(Path dir, List<String> args) {
        List<String> all = new ArrayList<>(List.of("--dataset", "synthetic", "--progress", "False",
                "--output_dir", dir.toString()));
        all.addAll(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString(), all);
    }

    /** {@code base} followed by {@code more}. */
    static List<String> with(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(Arrays.asList(more));
        return all;
    }

    /**
     * The results file a completed run leaves in {@code runDir}, results_NEURON_DIGITS.json, with
     * nothing beside it but its metrics_NEURON_DIGITS.csv (no checkpoint, no temporary file);
     * stdout names both.
     */
    static Path onlyResultsFile(Path runDir, String neuron, Run run) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(runDir)) {
            files = list.filter(Files::isRegularFile).sorted().toList();
        }
        List<Path> results = files.stream().filter(f -> f.getFileName().toString().startsWith("results_")).toList();
        assertEquals(1, results.size(), "a completed run leaves one results file in " + runDir + ": " + files);
        Path file = results.get(0);
        Matcher m = RESULTS_NAME.matcher(file.getFileName().toString());
        assertTrue(m.matches(), "results file name " + file.getFileName());
        assertEquals(neuron, m.group(1), "neuron in " + file.getFileName());
        assertTrue(run.out().lines().anyMatch(l -> l.equals("Results: " + file)),
                "stdout names the results file " + file + ":\n" + run.out());
        Path metrics = runDir.resolve("metrics_" + m.group(1) + "_" + m.group(2) + ".csv");
        assertEquals(List.of(metrics, file), files, "the results and their metrics alone in " + runDir);
        assertTrue(run.out().lines().anyMatch(l -> l.equals("Metrics: " + metrics)), run.out());
        return file;
    }

    static JsonNode json(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    static List<Double> numbers(JsonNode array) {
        assertTrue(array != null && array.isArray(), "an array: " + array);
        List<Double> values = new ArrayList<>();
        for (JsonNode n : array) {
            assertTrue(n.isNumber(), "a number: " + n + " in " + array);
            values.add(n.doubleValue());
        }
        return values;
    }

    /** The flag values a run was given, "--x v" pairs (every flag of these runs takes a value). */
    static Map<String, String> flags(List<String> args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.size(); i += 2) {
            assertTrue(args.get(i).startsWith("--"), "flag expected at " + i + " of " + args);
            flags.put(args.get(i).substring(2), args.get(i + 1));
        }
        return flags;
    }

    /** PARAMS as the original would write them: its defaults, overridden by the flags given. */
    static Map<String, Object> expectedParams(Map<String, String> given) {
        Map<String, Object> expected = new LinkedHashMap<>();
        ORIGINAL_DEFAULTS.forEach((key, fallback) -> {
            String value = given.get(key);
            if (value == null) {
                expected.put(key, fallback);
            } else if (key.equals("seed")) {
                expected.put(key, Long.parseLong(value));
            } else if (fallback instanceof Long) {
                expected.put(key, Long.parseLong(value));
            } else if (fallback instanceof Double) {
                expected.put(key, Double.parseDouble(value));
            } else if (fallback instanceof Boolean) {
                expected.put(key, value.equals("True"));
            } else {
                expected.put(key, value);
            }
        });
        expected.put("debug", false);
        expected.put("input_size", (long) NB_CHANNELS);
        expected.put("nb_class", (long) NB_CLASSES);
        return expected;
    }

    /**
     * Every key of the original's results file with its type and range, and this port's added
     * keys, for a completed synthetic run given {@code args}.
     */
    static void assertCompleteResults(JsonNode root, List<String> args) {
        Map<String, String> given = flags(args);
        Map<String, Object> params = expectedParams(given);
        int epochs = (int) (long) (Long) params.get("nb_epochs");
        int trainSize = Integer.parseInt(given.getOrDefault("synthetic_train", "512"));
        int testSize = Integer.parseInt(given.getOrDefault("synthetic_test", "128"));
        boolean spiking = !params.get("neuron").equals("Non-Spiking");

        List<Double> loss = numbers(root.get("loss_hist"));
        assertEquals(epochs, loss.size(), "loss_hist: one value per epoch");
        loss.forEach(v -> assertTrue(Double.isFinite(v) && v >= 0, "loss_hist: finite, >= 0: " + loss));

        List<Double> trainAccuracies = numbers(root.get("train_accuracies"));
        assertEquals(epochs, trainAccuracies.size(), "train_accuracies: one value per epoch");
        for (double a : trainAccuracies) {
            assertFraction(a, trainSize, "train_accuracies " + trainAccuracies);
        }

        JsonNode trainDuration = root.get("train_duration");
        assertTrue(trainDuration != null && trainDuration.isNumber() && trainDuration.doubleValue() > 0,
                "train_duration > 0: " + trainDuration);
        JsonNode testAccuracy = root.get("test_accuracies");
        assertTrue(testAccuracy != null && testAccuracy.isNumber(), "test_accuracies is one number: " + testAccuracy);
        assertFraction(testAccuracy.doubleValue(), testSize, "test_accuracies");

        List<Double> spikes = numbers(root.get("nb_spikes"));
        long hidden = (Long) params.get("hidden_size");
        if (spiking) {
            assertEquals((long) (Long) params.get("nb_layers"), spikes.size(), "nb_spikes: one value per hidden layer");
            // Per layer, the sum over its neurons of a rate in [0, 1].
            spikes.forEach(s -> assertTrue(s >= 0 && s <= hidden, "nb_spikes in [0, hidden_size]: " + spikes));
        } else {
            assertEquals(List.of(), spikes, "nb_spikes: empty for Non-Spiking");
        }
        JsonNode testDuration = root.get("test_duration");
        assertTrue(testDuration != null && testDuration.isNumber() && testDuration.doubleValue() >= 0,
                "test_duration: " + testDuration);

        assertParams(root.get("PARAMS"), params);
        assertAddedKeys(root, params, epochs, testSize, testAccuracy.doubleValue(), trainDuration.doubleValue());
    }

    /** An accuracy is correct/samples: in [0, 1] and a whole number of samples. */
    private static void assertFraction(double accuracy, int samples, String what) {
        assertTrue(accuracy >= 0 && accuracy <= 1, what + " in [0, 1]: " + accuracy);
        double correct = accuracy * samples;
        assertEquals(Math.round(correct), correct, 1e-6, what + " is a count over " + samples + " samples: " + accuracy);
    }

    private static void assertParams(JsonNode params, Map<String, Object> expected) {
        assertNotNull(params, "PARAMS");
        assertTrue(params.isObject(), "PARAMS is an object");
        expected.forEach((key, value) -> {
            JsonNode node = params.get(key);
            assertNotNull(node, "PARAMS." + key + " is present: " + params);
            String what = "PARAMS." + key + " = " + node;
            if (value == null) {
                assertTrue(node.isNull(), what + ", expected null");
            } else if (value instanceof Long l) {
                assertTrue(node.isIntegralNumber() && node.longValue() == l, what + ", expected integer " + l);
            } else if (value instanceof Double d) {
                assertTrue(node.isNumber() && node.doubleValue() == d, what + ", expected " + d);
            } else if (value instanceof Boolean b) {
                assertTrue(node.isBoolean() && node.booleanValue() == b, what + ", expected boolean " + b);
            } else {
                assertTrue(node.isTextual() && node.textValue().equals(value), what + ", expected \"" + value + "\"");
            }
        });
    }

    private static void assertAddedKeys(JsonNode root, Map<String, Object> params, int epochs, int testSize,
                                        double testAccuracy, double trainDuration) {
        List<Double> durations = numbers(root.get("epoch_durations"));
        assertEquals(epochs, durations.size(), "epoch_durations: one per epoch");
        durations.forEach(d -> assertTrue(d > 0, "epoch_durations > 0: " + durations));
        double mean = durations.stream().mapToDouble(Double::doubleValue).sum() / epochs;
        assertEquals(mean, trainDuration, 1e-9 * Math.max(1, mean), "train_duration is seconds per epoch");

        JsonNode seed = root.get("seed");
        assertNotNull(seed, "seed key");
        // The seed the run used: --seed, or the one drawn for an unseeded run (PARAMS keeps null then).
        assertTrue(seed.isIntegralNumber(), "seed: an integer, also for an unseeded run: " + seed);
        if (params.get("seed") == null) {
            assertTrue(seed.longValue() >= 0 && seed.longValue() < Integer.MAX_VALUE, "drawn seed: " + seed);
        } else {
            assertEquals((long) (Long) params.get("seed"), seed.longValue(), "seed");
        }
        assertNonEmptyText(root.get("tool_version"), "tool_version");
        assertNonEmptyText(root.get("device"), "device");

        JsonNode names = root.get("class_names");
        assertTrue(names != null && names.isArray() && names.size() == NB_CLASSES, "class_names: 20 names: " + names);
        Set<String> distinct = new HashSet<>();
        names.forEach(n -> {
            assertTrue(n.isTextual(), "class name " + n);
            distinct.add(n.textValue());
        });
        assertEquals(NB_CLASSES, distinct.size(), "class_names distinct: " + names);

        assertConfusion(root.get("test_confusion"), testSize, testAccuracy);
        assertPredictions(root.get("test_predictions"), root.get("test_confusion"), testSize);
        JsonNode partial = root.get("partial");
        assertTrue(partial != null && partial.isBoolean() && !partial.booleanValue(), "partial: false: " + partial);
    }

    /** One predicted class per test sample, adding up to the confusion matrix's columns. */
    private static void assertPredictions(JsonNode predictions, JsonNode confusion, int testSize) {
        assertTrue(predictions != null && predictions.isArray() && predictions.size() == testSize,
                "test_predictions: one per test sample: " + predictions);
        long[] perClass = new long[NB_CLASSES];
        predictions.forEach(p -> {
            assertTrue(p.isIntegralNumber() && p.intValue() >= 0 && p.intValue() < NB_CLASSES, "prediction " + p);
            perClass[p.intValue()]++;
        });
        for (int c = 0; c < NB_CLASSES; c++) {
            long column = 0;
            for (JsonNode row : confusion) {
                column += row.get(c).longValue();
            }
            assertEquals(column, perClass[c], "predictions of class " + c + " = confusion column " + c);
        }
    }

    /**
     * 20x20 counts (rows: true class) over the test set; synthetic labels are i % 20, so each row
     * holds that class's share, and the diagonal is the test accuracy's count.
     */
    private static void assertConfusion(JsonNode confusion, int testSize, double testAccuracy) {
        assertTrue(confusion != null && confusion.isArray() && confusion.size() == NB_CLASSES,
                "test_confusion: 20 rows: " + confusion);
        long total = 0;
        long diagonal = 0;
        for (int truth = 0; truth < NB_CLASSES; truth++) {
            JsonNode row = confusion.get(truth);
            assertTrue(row.isArray() && row.size() == NB_CLASSES, "test_confusion row " + truth + ": " + row);
            long rowSum = 0;
            for (int predicted = 0; predicted < NB_CLASSES; predicted++) {
                JsonNode cell = row.get(predicted);
                assertTrue(cell.isIntegralNumber() && cell.longValue() >= 0, "test_confusion count: " + cell);
                rowSum += cell.longValue();
                diagonal += truth == predicted ? cell.longValue() : 0;
            }
            long labelled = testSize / NB_CLASSES + (truth < testSize % NB_CLASSES ? 1 : 0);
            assertEquals(labelled, rowSum, "test_confusion row " + truth + ": samples of that class");
            total += rowSum;
        }
        assertEquals(testSize, total, "test_confusion sums to the test size");
        assertEquals(testAccuracy * testSize, diagonal, 1e-6, "test_confusion diagonal = correct test predictions");
    }

    private static void assertNonEmptyText(JsonNode node, String key) {
        assertTrue(node != null && node.isTextual() && !node.textValue().isBlank(), key + ": non-empty text: " + node);
    }

    /** Fails unless the run printed one epoch line per epoch, 1..N in order. */
    static void assertEpochLines(Run run, int epochs) {
        List<Integer> expected = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            expected.add(e);
        }
        assertEquals(expected, run.epochLines(), "one \"Epoch k/" + epochs + "  loss ...\" line per epoch:\n" + run.out());
        assertFalse(run.out().isBlank(), "stdout");
    }

    /** {@code dir}, failing with a clear message when the run did not create it (--dir). */
    static Path existingDir(Path dir) {
        if (!Files.isDirectory(dir)) {
            fail("folder " + dir + " was not created");
        }
        return dir;
    }
}
