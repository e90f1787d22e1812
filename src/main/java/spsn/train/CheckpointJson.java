package spsn.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import spsn.SpsnException;

/**
 * The JSON half of a checkpoint: settings, history and position, written as maps for Jackson
 * and read back with every field checked, errors naming the file and the field. Doubles are
 * written in their shortest exact form, so they read back bit for bit.
 */
final class CheckpointJson {

    static final String FORMAT = "spsn-checkpoint";
    /** 2: settings flat (version 1, still read, kept ParaLIF's flags apart). */
    static final int VERSION = 2;
    /** The oldest version this tool resumes. */
    static final int OLDEST_VERSION = 1;

    private final Path file;

    private CheckpointJson(Path file) {
        this.file = file;
    }

    /** Every setting by name (the flat schema, {@link SettingsJson}). */
    static JsonNode settings(RunSettings s) {
        return s.flat();
    }

    static Map<String, Object> history(RunHistory h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loss_hist", h.lossHist);
        m.put("train_accuracies", h.trainAccuracies);
        m.put("epoch_durations", h.epochDurations);
        m.put("test_every_epochs", h.testEveryEpochs);
        m.put("test_accuracy_hist", h.testAccuracyHist);
        m.put("valid_accuracies", h.validAccuracies);
        m.put("valid_loss_hist", h.validLossHist);
        m.put("spikes_hist", h.spikesHist);
        return m;
    }

    static Map<String, Object> progress(EpochProgress p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("next_batch", p.nextBatch());
        m.put("batches", p.batches());
        m.put("loss_sum", p.lossSum());
        m.put("correct", p.correct());
        m.put("seen", p.seen());
        m.put("seconds", p.seconds());
        m.put("spike_sums", p.spikeSums());
        return m;
    }

    /** A reader of one checkpoint file's fields. */
    static CheckpointJson reading(Path file) {
        return new CheckpointJson(file);
    }

    /**
     * The settings, flat as {@link #settings} writes them. Version 1 kept ParaLIF's flags in a
     * "paralif" object; settings a checkpoint lacks (it was written before they existed) take
     * their defaults.
     */
    RunSettings readSettings(JsonNode root) {
        ObjectNode flat = object(root, "settings").deepCopy();
        JsonNode paraLif = flat.remove("paralif");
        if (paraLif != null && paraLif.isObject()) {
            flat.setAll((ObjectNode) paraLif);
        }
        try {
            return RunSettings.fromFlat(flat);
        } catch (IllegalArgumentException | SpsnException e) {
            throw damaged("settings." + e.getMessage());
        }
    }

    RunHistory readHistory(JsonNode root) {
        JsonNode h = object(root, "history");
        RunHistory history = new RunHistory();
        history.lossHist.addAll(doubles(h, "loss_hist"));
        history.trainAccuracies.addAll(doubles(h, "train_accuracies"));
        history.epochDurations.addAll(doubles(h, "epoch_durations"));
        for (JsonNode v : array(h, "test_every_epochs")) {
            if (!v.canConvertToInt()) {
                throw damaged("history.test_every_epochs holds " + v + ", not an epoch number");
            }
            history.testEveryEpochs.add(v.intValue());
        }
        history.testAccuracyHist.addAll(doubles(h, "test_accuracy_hist"));
        if (h.has("valid_accuracies") || h.has("valid_loss_hist")) {
            history.validAccuracies.addAll(doubles(h, "valid_accuracies"));
            history.validLossHist.addAll(doubles(h, "valid_loss_hist"));
        }
        // absent from checkpoints written before it was kept: no spikes known for those epochs
        JsonNode spikes = h.get("spikes_hist");
        for (int e = 0; e < history.lossHist.size(); e++) {
            history.spikesHist.add(spikes != null && spikes.isArray() && spikes.has(e) ? numbers(spikes.get(e),
                    "history.spikes_hist") : List.of());
        }
        if (history.trainAccuracies.size() != history.lossHist.size()
                || history.epochDurations.size() != history.lossHist.size()
                || history.testEveryEpochs.size() != history.testAccuracyHist.size()
                || history.validAccuracies.size() != history.validLossHist.size()
                || !history.validAccuracies.isEmpty() && history.validAccuracies.size() != history.lossHist.size()) {
            throw damaged("its history lists have inconsistent lengths");
        }
        return history;
    }

    EpochProgress readProgress(JsonNode root) {
        JsonNode p = object(root, "epoch_progress");
        return new EpochProgress(intValue(p, "next_batch"), intValue(p, "batches"), doubleValue(p, "loss_sum"),
                longValue(p, "correct"), longValue(p, "seen"), doubleValue(p, "seconds"),
                p.has("spike_sums") ? numbers(p.get("spike_sums"), "epoch_progress.spike_sums") : List.of());
    }

    JsonNode object(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isObject()) {
            throw damaged("it has no " + key + " object");
        }
        return v;
    }

    String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isTextual()) {
            throw damaged("field " + key + " is missing or not text");
        }
        return v.asText();
    }

    /** A text field that older checkpoints lack: null when absent. */
    String optionalText(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : text(node, key);
    }

    int intValue(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw damaged("field " + key + " is missing or not an integer");
        }
        return v.intValue();
    }

    long longValue(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw damaged("field " + key + " is missing or not an integer");
        }
        return v.longValue();
    }

    double doubleValue(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isNumber()) {
            throw damaged("field " + key + " is missing or not a number");
        }
        return v.doubleValue();
    }

    boolean bool(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isBoolean()) {
            throw damaged("field " + key + " is missing or not true/false");
        }
        return v.booleanValue();
    }

    private JsonNode array(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isArray()) {
            throw damaged("field " + key + " is missing or not a list");
        }
        return v;
    }

    private List<Double> doubles(JsonNode node, String key) {
        List<Double> out = new ArrayList<>();
        for (JsonNode v : array(node, key)) {
            if (!v.isNumber()) {
                throw damaged("field " + key + " holds " + v + ", not a number");
            }
            out.add(v.doubleValue());
        }
        return out;
    }

    /** A list of numbers (an optional field, present as {@code node}). */
    private List<Double> numbers(JsonNode node, String key) {
        if (!node.isArray()) {
            throw damaged("field " + key + " is not a list");
        }
        List<Double> out = new ArrayList<>();
        for (JsonNode v : node) {
            if (!v.isNumber()) {
                throw damaged("field " + key + " holds " + v + ", not a number");
            }
            out.add(v.doubleValue());
        }
        return out;
    }

    SpsnException damaged(String what) {
        return SpsnException.data("checkpoint " + file + " is damaged: " + what
                + "; resume from another checkpoint or start the run again");
    }
}
