package spsn.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import spsn.SpsnException;
import spsn.model.NeuronType;

/**
 * The JSON half of a checkpoint: settings, history and position, written as maps for Jackson
 * and read back with every field checked, errors naming the file and the field. Doubles are
 * written in their shortest exact form, so they read back bit for bit.
 */
final class CheckpointJson {

    static final String FORMAT = "spsn-checkpoint";
    static final int VERSION = 1;

    private final Path file;

    private CheckpointJson(Path file) {
        this.file = file;
    }

    static Map<String, Object> settings(RunSettings s) {
        Map<String, Object> m = new LinkedHashMap<>(s.coreFlags());
        m.put("paralif", s.paraLif().asMap());
        m.put("data_dir", s.dataDir().toString());
        m.put("output_dir", s.outputDir().toString());
        m.put("device", s.device());
        m.put("synthetic_train", s.syntheticTrain());
        m.put("synthetic_test", s.syntheticTest());
        m.put("load_model", s.loadModel() == null ? null : s.loadModel().toString());
        m.put("test_every", s.testEvery());
        m.put("progress", s.progress());
        m.put("checkpoint_every", s.checkpointEvery());
        m.put("valid_fraction", s.validation().fraction());
        m.put("select", s.validation().select().cliName());
        return m;
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

    RunSettings readSettings(JsonNode root) {
        JsonNode s = object(root, "settings");
        JsonNode seed = s.get("seed");
        Long seedValue = seed == null || seed.isNull() ? null : longValue(s, "seed");
        String neuronName = text(s, "neuron");
        NeuronType neuron = NeuronType.byName(neuronName);
        if (neuron == null) {
            throw damaged("settings.neuron '" + neuronName + "' is not a neuron of this tool");
        }
        LossMode lossMode = null;
        String modeName = text(s, "loss_mode");
        for (LossMode mode : LossMode.values()) {
            if (mode.cliName().equals(modeName)) {
                lossMode = mode;
            }
        }
        if (lossMode == null) {
            throw damaged("settings.loss_mode '" + modeName + "' is not a loss mode of this tool");
        }
        JsonNode loadModel = s.get("load_model");
        ValidationSettings validation = readValidation(s);
        return new RunSettings(seedValue, text(s, "dataset"), neuron, intValue(s, "nb_epochs"),
                doubleValue(s, "tau_mem"), doubleValue(s, "tau_syn"), intValue(s, "batch_size"),
                intValue(s, "hidden_size"), intValue(s, "nb_layers"), doubleValue(s, "reg_thr"), lossMode,
                bool(s, "data_augmentation"), doubleValue(s, "h_shift"), doubleValue(s, "scale"), text(s, "dir"),
                bool(s, "save_model"), Path.of(text(s, "data_dir")), Path.of(text(s, "output_dir")),
                text(s, "device"), intValue(s, "synthetic_train"), intValue(s, "synthetic_test"),
                loadModel == null || loadModel.isNull() ? null : Path.of(text(s, "load_model")),
                intValue(s, "test_every"), bool(s, "progress"), intValue(s, "checkpoint_every"), paraLif(s),
                validation);
    }

    /** ParaLIF's flags; a checkpoint written before they existed has none: their defaults. */
    private ParaLifFlags paraLif(JsonNode settings) {
        try {
            return ParaLifFlags.fromJson(settings.get("paralif"));
        } catch (IllegalArgumentException e) {
            throw damaged("settings.paralif cannot be read (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    /** --valid_fraction and --select; absent in checkpoints written before they existed (none, last). */
    private ValidationSettings readValidation(JsonNode s) {
        if (!s.has("valid_fraction") && !s.has("select")) {
            return ValidationSettings.NONE;
        }
        double fraction = doubleValue(s, "valid_fraction");
        String name = text(s, "select");
        for (ModelSelection select : ModelSelection.values()) {
            if (select.cliName().equals(name)) {
                return new ValidationSettings(fraction, select);
            }
        }
        throw damaged("settings.select '" + name + "' is not a choice of this tool");
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
