package spsn.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Names of a run's files in its folder, all carrying the neuron and the run id (unix seconds):
 * results_N_ID.json, model_N_ID.pt, checkpoint_N_ID.json (+ its tensors). Results and model
 * files are never overwritten: a name already taken moves the id forward.
 */
final class RunFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunFiles() {
    }

    static String results(String neuron, long id) {
        return "results_" + neuron + "_" + id + ".json";
    }

    static String model(String neuron, long id) {
        return "model_" + neuron + "_" + id + ".pt";
    }

    static String checkpoint(String neuron, long id) {
        return "checkpoint_" + neuron + "_" + id + ".json";
    }

    /** The first id from now on that no results, model or checkpoint file in {@code dir} uses. */
    static long freshId(Path dir, String neuron) {
        long id = System.currentTimeMillis() / 1000;
        while (taken(dir, neuron, id)) {
            id++;
        }
        return id;
    }

    static boolean taken(Path dir, String neuron, long id) {
        return Files.exists(dir.resolve(results(neuron, id))) || Files.exists(dir.resolve(model(neuron, id)))
                || Files.exists(dir.resolve(checkpoint(neuron, id)));
    }

    /**
     * The id for a run's final results (and model): its own id unless another file took the
     * name meanwhile. The run's own partial results file may be replaced; nothing else.
     */
    static long finalId(Path dir, String neuron, long runId, boolean withModel, String ownPartial) {
        long id = runId;
        while (!usableForResults(dir, results(neuron, id), ownPartial)
                || (withModel && Files.exists(dir.resolve(model(neuron, id))))) {
            id++;
        }
        return id;
    }

    /** A results name that is free, or holds this run's own partial results. */
    static boolean usableForResults(Path dir, String name, String ownPartial) {
        Path file = dir.resolve(name);
        return !Files.exists(file) || (name.equals(ownPartial) && isPartialResults(file));
    }

    /** Whether {@code file} is a results file marked "partial": true (an interrupted run's). */
    static boolean isPartialResults(Path file) {
        try {
            JsonNode root = JSON.readTree(file.toFile());
            return root != null && root.path("partial").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }
}
