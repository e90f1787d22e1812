package spsn.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import spsn.model.NeuronFamily;
import spsn.model.NeuronType;

/**
 * A results file's PARAMS, written from {@link RunSettings} and read back into them. The head is
 * the neuron's original run.py PARAMS in its argparse order (SPSN's or ParaLIF's); then every other
 * setting in schema order, except the {@link SessionSettings} (where this process wrote, not what
 * it computed). So a new setting appears in PARAMS by itself.
 */
public final class Params {

    /** SPSN's run.py flags, in its order. */
    private static final List<String> SPSN_RUN_PY = List.of("seed", "dataset", "neuron", "nb_epochs", "tau_mem",
            "tau_syn", "batch_size", "hidden_size", "nb_layers", "reg_thr", "loss_mode", "data_augmentation", "h_shift",
            "scale", "dir", "save_model");
    /**
     * ParaLIF's flags that SPSN's run.py lacks: an SPSN run's PARAMS shows them only where they are
     * not at their defaults, so that it stays SPSN's.
     */
    private static final List<String> SPSN_EXTRAS = List.of("learn_tau", "recurrent", "recurrent_relu", "reg_thr_r",
            "lr", "weight_decay", "spk_threshold", "surrogate", "surrogate_scale", "best_config", "window_size",
            "per_neuron");
    /**
     * ParaLIF's examples/basic/run.py flags, in its argparse order (its "shift" is h_shift), then the
     * surrogate and the per-neuron form.
     */
    private static final List<String> PARALIF_RUN_PY = List.of("seed", "dataset", "neuron", "nb_epochs", "tau_mem",
            "tau_syn", "learn_tau", "batch_size", "hidden_size", "nb_layers", "recurrent", "recurrent_relu", "reg_thr",
            "reg_thr_r", "loss_mode", "data_augmentation", "shift", "scale", "dir", "save_model", "debug", "window_size",
            "lr", "weight_decay", "scheduler", "best_config", "spk_threshold", "surrogate", "surrogate_scale",
            "per_neuron");
    /** Flags of the originals that this tool fixes: always these values. */
    private static final Map<String, Object> FIXED = Map.of("debug", false, "scheduler", false);
    private static final Map<String, String> PARALIF_NAMES = Map.of("shift", "h_shift");

    private Params() {
    }

    /** The PARAMS of a run with these settings, on data with {@code info}'s input size and classes. */
    public static Map<String, Object> write(RunSettings s, RunInfo info) {
        ObjectNode flat = s.flat();
        Map<String, Object> p = new LinkedHashMap<>();
        Set<String> shown = new HashSet<>(SettingsJson.keys(SessionSettings.class));
        NeuronType neuron = s.network().neuron();
        if (neuron.family() == NeuronFamily.PARALIF) {
            for (String key : PARALIF_RUN_PY) {
                String name = PARALIF_NAMES.getOrDefault(key, key);
                shown.add(name);
                p.put(key, FIXED.containsKey(key) ? FIXED.get(key) : flat.get(name));
            }
            // run.py writes the threshold it used
            p.put("spk_threshold", s.neuronOptions().threshold(neuron));
        } else {
            ObjectNode defaults = RunSettings.DEFAULT.flat();
            for (String key : SPSN_RUN_PY) {
                shown.add(key);
                p.put(key, flat.get(key));
            }
            for (String key : SPSN_EXTRAS) {
                shown.add(key);
                if (!Objects.equals(flat.get(key), defaults.get(key))) {
                    p.put(key, flat.get(key));
                }
            }
        }
        p.put("debug", false);
        p.put("input_size", info.inputSize());
        p.put("nb_class", info.classNames().size());
        flat.fields().forEachRemaining(e -> {
            if (!shown.contains(e.getKey())) {
                p.put(e.getKey(), e.getValue());
            }
        });
        return p;
    }

    /**
     * The settings a results file's PARAMS records; settings it lacks (the originals' files, older
     * versions) take their defaults, the session's always. ParaLIF's PARAMS write the threshold
     * a run used: the neuron's own reads back as "not given", as the run had it.
     *
     * @throws IllegalArgumentException naming the setting that does not read
     */
    public static RunSettings read(JsonNode params) {
        ObjectNode given = params.deepCopy();
        given.remove(SettingsJson.keys(SessionSettings.class));
        // Python-written or hand-edited files may spell booleans as text ("True")
        RunSettings.DEFAULT.flat().fields().forEachRemaining(setting -> {
            JsonNode value = given.get(setting.getKey());
            if (setting.getValue().isBoolean() && value != null && value.isTextual()
                    && (value.asText().trim().equalsIgnoreCase("true")
                            || value.asText().trim().equalsIgnoreCase("false"))) {
                given.put(setting.getKey(), value.asText().trim().equalsIgnoreCase("true"));
            }
        });
        PARALIF_NAMES.forEach((paraLif, ours) -> {
            if (given.has(paraLif) && !given.has(ours)) {
                given.set(ours, given.remove(paraLif));
            }
        });
        RunSettings s = RunSettings.fromFlat(given);
        Double threshold = s.neuron().spkThreshold();
        NeuronType neuron = s.network().neuron();
        if (neuron.family() == NeuronFamily.PARALIF && threshold != null && threshold == neuron.defaultThreshold()) {
            ObjectNode flat = s.flat();
            flat.putNull("spk_threshold");
            s = RunSettings.fromFlat(flat);
        }
        return s;
    }
}
