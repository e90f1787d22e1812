package spsn.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Names of a run's files in its folder, all carrying the neuron and the run id (unix seconds):
 * results_N_ID.json, metrics_N_ID.csv, model_N_ID.pt, checkpoint_N_ID.json (+ its tensors), run_N_ID.lock while it
 * runs (see {@link RunLock}). Results and model
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

    static String metrics(String neuron, long id) {
        return "metrics_" + neuron + "_" + id + ".csv";
    }

    static String checkpoint(String neuron, long id) {
        return "checkpoint_" + neuron + "_" + id + ".json";
    }

    /** Whether a file of run {@code id} is in {@code dir}, or a run holds that id. */
    static boolean taken(Path dir, String neuron, long id) {
        return Files.exists(dir.resolve(results(neuron, id))) || Files.exists(dir.resolve(model(neuron, id)))
                || Files.exists(dir.resolve(checkpoint(neuron, id))) || Files.exists(dir.resolve(RunLock.name(neuron, id)))
                || Files.exists(dir.resolve(metrics(neuron, id)));
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

    /**
     * Whether two paths name the same file or folder: {@code o/ck.json} and {@code ./o/ck.json},
     * or a path through a symbolic link, are the same.
     */
    static boolean sameFile(Path a, Path b) {
        Path x = a.toAbsolutePath().normalize();
        Path y = b.toAbsolutePath().normalize();
        if (x.equals(y)) {
            return true;
        }
        try {
            return Files.exists(x) && Files.exists(y) && Files.isSameFile(x, y);
        } catch (IOException e) {
            return false;
        }
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
