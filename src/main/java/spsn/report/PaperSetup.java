package spsn.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides which table column a run belongs to, from its PARAMS (not its folder name): the
 * column follows data_augmentation and reg_thr, and a run whose other hyper-parameters differ
 * from the paper's goes to "Other runs" so it is not averaged with the paper's setting.
 */
public final class PaperSetup {

    /** A run's column and, for {@link Configuration#OTHER}, why it fits none. */
    public record Classification(Configuration config, List<String> deviations) {
    }

    // The paper's hyper-parameters (run.py defaults); a missing key counts as the default.
    private static final String[] NUMERIC_KEYS = {"hidden_size", "nb_layers", "batch_size", "tau_mem", "tau_syn"};
    private static final double[] NUMERIC_VALUES = {128, 3, 64, 0.02, 0.02};
    private static final String[] AUGMENTATION_KEYS = {"h_shift", "scale"};
    private static final double[] AUGMENTATION_VALUES = {0.1, 0.3};
    private static final String LOSS_MODE = "mean";

    private PaperSetup() {
    }

    /** Classifies one run from its neuron and PARAMS object. */
    public static Classification classify(String neuron, JsonNode params) {
        List<String> deviations = new ArrayList<>();
        if (!PaperNumbers.NEURONS.contains(neuron)) {
            deviations.add("neuron " + neuron + " is not one of " + String.join(", ", PaperNumbers.NEURONS));
        }
        boolean augmentation = isTrue(params.get("data_augmentation"));
        double regThr = params.path("reg_thr").asDouble(0.0);
        for (int i = 0; i < NUMERIC_KEYS.length; i++) {
            checkNumber(params, NUMERIC_KEYS[i], NUMERIC_VALUES[i], deviations);
        }
        if (augmentation) {
            for (int i = 0; i < AUGMENTATION_KEYS.length; i++) {
                checkNumber(params, AUGMENTATION_KEYS[i], AUGMENTATION_VALUES[i], deviations);
            }
        }
        JsonNode lossMode = params.get("loss_mode");
        if (lossMode != null && !lossMode.isNull() && !LOSS_MODE.equals(lossMode.asText())) {
            deviations.add("loss_mode " + lossMode.asText() + " (paper " + LOSS_MODE + ")");
        }
        if (regThr > 0 && !augmentation) {
            deviations.add("reg_thr " + params.get("reg_thr").asText() + " without data augmentation");
        }
        if (!deviations.isEmpty()) {
            return new Classification(Configuration.OTHER, List.copyOf(deviations));
        }
        Configuration config = !augmentation ? Configuration.BASIC
                : regThr > 0 ? Configuration.DATA_AUGMENTATION_REGULARIZATION
                : Configuration.DATA_AUGMENTATION;
        return new Classification(config, List.of());
    }

    /** The original stores the flag as a JSON boolean; accept its "True"/"False" string form too. */
    static boolean isTrue(JsonNode node) {
        if (node == null || node.isNull()) {
            return false;
        }
        return node.isBoolean() ? node.booleanValue() : "true".equalsIgnoreCase(node.asText().trim());
    }

    private static void checkNumber(JsonNode params, String key, double paper, List<String> deviations) {
        JsonNode node = params.get(key);
        if (node == null || node.isNull()) {
            return;
        }
        double value = node.asDouble(Double.NaN);
        if (!(Math.abs(value - paper) <= 1e-9 * Math.max(1.0, Math.abs(paper)))) {
            deviations.add(key + " " + node.asText() + " (paper " + formatDefault(paper) + ")");
        }
    }

    private static String formatDefault(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
