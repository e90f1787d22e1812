package spsn.report;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import spsn.SpsnException;
import spsn.train.Params;
import spsn.train.RunSettings;

/**
 * One results file: the original's keys ({@code loss_hist}, {@code train_accuracies},
 * {@code train_duration}, {@code test_accuracies}, {@code nb_spikes}, {@code test_duration},
 * {@code PARAMS}) and, when present, the keys this port adds (seed, confusion matrix, ...).
 * Lists absent from a file are empty, numbers absent from a partial run are NaN.
 *
 * @param path the file
 * @param name the file relative to the scanned folder, with '/' separators (for the report)
 * @param neuron PARAMS.neuron
 * @param dataset PARAMS.dataset ("heidelberg" when absent, the original's only dataset)
 * @param config the table column this run belongs to, from PARAMS
 * @param deviations why the run is {@link Configuration#OTHER}; empty otherwise
 * @param seed the seed, or null for an unseeded run
 * @param epochs PARAMS.nb_epochs (the length of loss_hist when absent)
 * @param dataAugmentation PARAMS.data_augmentation
 * @param regThr PARAMS.reg_thr (0 when absent)
 * @param partial true for a run interrupted before its end
 * @param testAccuracy test accuracy as a fraction 0..1
 * @param secondsPerEpoch train_duration: training wall time divided by the number of epochs
 * @param testDuration seconds of the test pass
 * @param lossHist training loss per epoch
 * @param trainAccuracies training accuracy per epoch, fractions
 * @param nbSpikes per firing layer, the mean over test batches of the summed firing rates
 * @param epochDurations seconds of each epoch
 * @param testEveryEpochs epochs after which the test set was evaluated
 * @param testAccuracyHist test accuracy (fraction) after each of those epochs
 * @param validAccuracies validation accuracy (fraction) after each epoch, or empty without validation
 * @param validLossHist validation loss (mean cross-entropy per sample) after each epoch, or empty
 * @param confusion test confusion counts [true class][predicted class], or null
 * @param classNames one name per class, or empty
 * @param toolVersion version of the tool that wrote the file, or null
 * @param device the device the run used, or null
 * @param params every PARAMS entry, sorted by key
 * @param settings PARAMS read back as the run's settings (absent ones at their defaults: see spsn.train.Params)
 */
public record RunResult(
        Path path, String name, String neuron, String dataset, Configuration config, List<String> deviations,
        Long seed, int epochs, boolean dataAugmentation, double regThr, boolean partial,
        double testAccuracy, double secondsPerEpoch, double testDuration,
        List<Double> lossHist, List<Double> trainAccuracies, List<Double> nbSpikes,
        List<Double> epochDurations, List<Integer> testEveryEpochs, List<Double> testAccuracyHist,
        List<Double> validAccuracies, List<Double> validLossHist, int[][] confusion, List<String> classNames, String toolVersion, String device,
        Map<String, Object> params, RunSettings settings) {

    // Python's json module writes NaN/Infinity for diverged losses; accept them.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /** The test accuracy in percent. */
    public double testAccuracyPercent() {
        return 100.0 * testAccuracy;
    }

    public boolean hasConfusion() {
        return confusion != null;
    }

    /**
     * Parses one results file.
     *
     * @throws SpsnException (data) when the file cannot be read or lacks a required key
     */
    public static RunResult read(Path file, String name) {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            // Jackson's message may cite where an unclosed list began; the end position is enough.
            String what = oneLine(e.getOriginalMessage()).replaceAll("\\s*\\(start marker at \\[[^\\]]*\\]\\)", "");
            throw SpsnException.data(name + ": cannot read as JSON (" + what + where + ")", e);
        } catch (IOException e) {
            throw SpsnException.data(name + ": cannot read (" + e + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw SpsnException.data(name + ": not a JSON object; expected a results file written by training");
        }
        return new Parser(root, file, name).parse();
    }

    /** Reads the fields of one parsed file, naming the file and key in every error. */
    private static final class Parser {
        private final JsonNode root;
        private final Path file;
        private final String name;

        Parser(JsonNode root, Path file, String name) {
            this.root = root;
            this.file = file;
            this.name = name;
        }

        RunResult parse() {
            boolean partial = PaperSetup.isTrue(root.get("partial"));
            JsonNode params = root.get("PARAMS");
            if (params == null || !params.isObject()) {
                throw fail("has no PARAMS object");
            }
            JsonNode neuronNode = params.get("neuron");
            if (neuronNode == null || !neuronNode.isTextual()) {
                throw fail("has no PARAMS.neuron");
            }
            String neuron = neuronNode.asText();
            RunSettings settings = settings(params);
            PaperSetup.Classification classification = PaperSetup.classify(neuron, params);

            List<Double> lossHist = doubles("loss_hist", !partial);
            List<Double> trainAccuracies = doubles("train_accuracies", !partial);
            List<Integer> testEvery = ints("test_every_epochs");
            List<Double> testHist = doubles("test_accuracy_hist", false);
            if (testEvery.size() != testHist.size()) {
                throw fail("has " + testEvery.size() + " test_every_epochs but " + testHist.size()
                        + " test_accuracy_hist values; they must pair up");
            }
            List<Double> validAccuracies = doubles("valid_accuracies", false);
            List<Double> validLoss = doubles("valid_loss_hist", false);
            if (validAccuracies.size() != validLoss.size()) {
                throw fail("has " + validAccuracies.size() + " valid_accuracies but " + validLoss.size()
                        + " valid_loss_hist values; they must pair up");
            }
            List<String> classNames = strings("class_names");
            int[][] confusion = confusion(classNames.size());
            int epochs = params.path("nb_epochs").isIntegralNumber()
                    ? params.get("nb_epochs").asInt() : lossHist.size();

            return new RunResult(file, name, neuron, settings.data().dataset(), classification.config(),
                    classification.deviations(), seed(params), epochs, settings.augmentation().enabled(),
                    settings.training().regThr(), partial,
                    number("test_accuracies", !partial), number("train_duration", !partial),
                    number("test_duration", false),
                    lossHist, trainAccuracies, doubles("nb_spikes", false), doubles("epoch_durations", false),
                    testEvery, testHist, validAccuracies, validLoss, confusion, classNames,
                    text("tool_version"), text("device"), sortedParams(params), settings);
        }

        private RunSettings settings(JsonNode params) {
            try {
                return Params.read(params);
            } catch (IllegalArgumentException | SpsnException e) {
                throw fail("has PARAMS." + e.getMessage().replaceFirst("^--", ""));
            }
        }

        private Long seed(JsonNode params) {
            JsonNode node = root.has("seed") ? root.get("seed") : params.get("seed");
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw fail("has a seed that is not a 64-bit integer: " + node);
            }
            return node.longValue(); // run.py and this tool take any 64-bit seed
        }

        private double number(String key, boolean required) {
            JsonNode node = root.get(key);
            if (node != null && node.isArray() && !node.isEmpty()) {
                // ParaLIF's run.py writes test_accuracies as a list (one per test): its last
                node = node.get(node.size() - 1);
            }
            if (node == null || node.isNull()) {
                if (required) {
                    throw fail("has no " + key);
                }
                return Double.NaN;
            }
            Double value = asNumber(node);
            if (value == null) {
                throw fail("has a " + key + " that is not a number");
            }
            return value;
        }

        private List<Double> doubles(String key, boolean required) {
            JsonNode node = array(key, required);
            if (node.size() > 0 && node.get(0).isArray()) {
                // ParaLIF's nb_spikes: [feed-forward per layer, recurrent per layer]: the first
                node = node.get(0);
            }
            List<Double> out = new ArrayList<>(node.size());
            for (JsonNode v : node) {
                Double value = asNumber(v);
                if (value == null) {
                    throw fail("has a non-number in " + key + ": " + v);
                }
                out.add(value);
            }
            return Collections.unmodifiableList(out);
        }

        private List<Integer> ints(String key) {
            JsonNode node = array(key, false);
            List<Integer> out = new ArrayList<>(node.size());
            for (JsonNode v : node) {
                if (!v.isIntegralNumber()) {
                    throw fail("has a non-integer in " + key + ": " + v);
                }
                out.add(v.asInt());
            }
            return Collections.unmodifiableList(out);
        }

        private List<String> strings(String key) {
            JsonNode node = array(key, false);
            List<String> out = new ArrayList<>(node.size());
            for (JsonNode v : node) {
                out.add(v.asText());
            }
            return Collections.unmodifiableList(out);
        }

        private String text(String key) {
            JsonNode node = root.get(key);
            return node == null || node.isNull() ? null : node.asText();
        }

        private JsonNode array(String key, boolean required) {
            JsonNode node = root.get(key);
            if (node == null || node.isNull()) {
                if (required) {
                    throw fail("has no " + key);
                }
                return MAPPER.createArrayNode();
            }
            if (!node.isArray()) {
                throw fail("has a " + key + " that is not a list");
            }
            return node;
        }

        /** Square counts matrix, one row per true class; as wide as class_names when both exist. */
        private int[][] confusion(int nbClassNames) {
            JsonNode node = root.get("test_confusion");
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isArray() || node.isEmpty()) {
                throw fail("has a test_confusion that is not a non-empty list of rows");
            }
            int n = node.size();
            if (nbClassNames > 0 && nbClassNames != n) {
                throw fail("has " + n + " test_confusion rows but " + nbClassNames + " class_names");
            }
            int[][] matrix = new int[n][];
            for (int i = 0; i < n; i++) {
                JsonNode row = node.get(i);
                if (!row.isArray() || row.size() != n) {
                    throw fail("has test_confusion row " + i + " that is not a list of " + n + " counts");
                }
                matrix[i] = new int[n];
                for (int j = 0; j < n; j++) {
                    JsonNode v = row.get(j);
                    if (!v.isIntegralNumber() || v.asInt() < 0) {
                        throw fail("has test_confusion[" + i + "][" + j + "] = " + v + ", not a count");
                    }
                    matrix[i][j] = v.asInt();
                }
            }
            return matrix;
        }

        private Map<String, Object> sortedParams(JsonNode params) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = MAPPER.convertValue(params, TreeMap.class);
            return Collections.unmodifiableMap(map);
        }

        private SpsnException fail(String what) {
            return SpsnException.data(name + " " + what + "; expected a results file written by training");
        }
    }

    /**
     * A JSON number, or NaN/±Infinity written either bare (Python's json) or as a string
     * (Jackson's default); null for anything else.
     */
    static Double asNumber(JsonNode node) {
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isTextual()) {
            switch (node.asText()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    return null;
            }
        }
        return null;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
