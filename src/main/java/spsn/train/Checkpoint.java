package spsn.train;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import spsn.SpsnException;
import spsn.io.StateDict;
import spsn.io.Tensor;
import spsn.io.TorchStateDictReader;
import spsn.model.ModelFiles;
import spsn.model.Network;

/**
 * A checkpoint read back: the run's settings and state (checkpoint_N_ID.json) and its tensors
 * (the .pt it names: the model under {@code model.*}, Adamax's first moment and infinity norm
 * under {@code adamax.exp_avg.*} and {@code adamax.exp_inf.*}, PyTorch's names for them, and
 * with --select best the parameters of the best validation epoch so far under {@code best.*}).
 *
 * @param file the checkpoint's JSON file
 * @param sequence how many times the run has written a checkpoint (names its tensors file)
 * @param data sizes and fingerprints of the run's training and test sets (a resumed run must
 *     see the same data)
 * @param tensorsFile the .pt file the checkpoint names, beside it
 */
public record Checkpoint(Path file, RunSettings settings, RunState state, int adamaxSteps, int sequence,
                         DataIdentity data, Path tensorsFile, StateDict tensors) {

    static final String MODEL = "model.";
    static final String FIRST_MOMENT = "adamax.exp_avg.";
    static final String INFINITY_NORM = "adamax.exp_inf.";
    /** The parameters kept by --select best (those after epoch best_epoch). */
    static final String BEST = "best.";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads the checkpoint at {@code given}: its .json file, or that path without ".json".
     *
     * @throws SpsnException (data) naming the file when it is missing, not a checkpoint or damaged
     */
    public static Checkpoint read(Path given) {
        Path file = jsonFile(given);
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw SpsnException.data("checkpoint " + given + " does not exist; give the checkpoint_<neuron>_<id>.json"
                    + " that an earlier run wrote (listed in its output)");
        } catch (IOException e) {
            throw SpsnException.data("checkpoint " + file + " cannot be read as JSON (" + oneLine(e.getMessage())
                    + "); give the checkpoint_<neuron>_<id>.json that an earlier run wrote", e);
        }
        CheckpointJson json = CheckpointJson.reading(file);
        if (root == null || !root.isObject() || !CheckpointJson.FORMAT.equals(root.path("format").asText())) {
            throw SpsnException.data(file + " is not a checkpoint of this tool (no \"format\": \""
                    + CheckpointJson.FORMAT + "\"); give the checkpoint_<neuron>_<id>.json that an earlier run wrote");
        }
        int version = json.intValue(root, "version");
        if (version < CheckpointJson.OLDEST_VERSION || version > CheckpointJson.VERSION) {
            throw SpsnException.data("checkpoint " + file + " has format version " + root.get("version")
                    + "; this tool reads versions " + CheckpointJson.OLDEST_VERSION + " to " + CheckpointJson.VERSION
                    + ": resume it with the tool that wrote it");
        }
        RunSettings settings = json.readSettings(root);
        RunState state = new RunState(json.longValue(root, "run_id"), json.longValue(root, "seed"),
                json.readHistory(root));
        EpochProgress progress = json.readProgress(root);
        int epochsDone = json.intValue(root, "epochs_done");
        if (epochsDone != state.history().epochsDone() || epochsDone > settings.training().nbEpochs()
                || progress.nextBatch() < 0 || progress.nextBatch() > progress.batches()) {
            throw json.damaged("its position (epoch " + epochsDone + ", batch " + progress.nextBatch()
                    + ") does not fit its history of " + state.history().epochsDone() + " epochs");
        }
        state.at(epochsDone, progress);
        JsonNode partial = root.get("partial_results");
        if (partial != null && !partial.isNull()) {
            state.partialResults(json.text(root, "partial_results"));
        }
        Path tensorsFile = file.resolveSibling(json.text(root, "tensors"));
        if (!Files.isRegularFile(tensorsFile)) {
            throw json.damaged("its tensors file " + tensorsFile + " is missing");
        }
        StateDict tensors = TorchStateDictReader.read(tensorsFile);
        JsonNode bestEpoch = root.get("best_epoch");
        int best = bestEpoch == null ? 0 : json.intValue(root, "best_epoch");
        if (best < 0 || best > epochsDone) {
            throw json.damaged("its best_epoch " + best + " is not one of its " + epochsDone + " epochs");
        }
        if (best > 0) {
            StateDict kept = new StateDict(tensorsFile + " (best epoch " + best + ")");
            for (String key : tensors.keys()) {
                if (key.startsWith(BEST)) {
                    kept.put(key.substring(BEST.length()), tensors.get(key));
                }
            }
            if (kept.keys().isEmpty()) {
                throw json.damaged("it names best epoch " + best + " but its tensors file holds no best.* parameters");
            }
            state.keepBest(best, kept);
        }
        return new Checkpoint(file, settings, state, json.intValue(root, "adamax_steps"),
                json.intValue(root, "sequence"), new DataIdentity(json.intValue(root, "train_samples"),
                json.intValue(root, "test_samples"), json.optionalText(root, "train_fingerprint"),
                json.optionalText(root, "test_fingerprint")), tensorsFile, tensors);
    }

    private static Path jsonFile(Path given) {
        String name = given.getFileName() == null ? "" : given.getFileName().toString();
        if (name.endsWith(".json")) {
            return given;
        }
        if (name.endsWith(".pt")) {
            throw SpsnException.usage("--resume " + given + ": give the checkpoint's .json file"
                    + " (checkpoint_<neuron>_<id>.json), which names this .pt");
        }
        return given.resolveSibling(name + ".json");
    }

    /** The folder the checkpoint is in (where the run's files are). */
    public Path folder() {
        return file.toAbsolutePath().normalize().getParent();
    }

    /**
     * Removes the checkpoint (its .json, then its tensors): once the resumed run has saved a
     * checkpoint of its own under another name, or completed, this one must not be resumed
     * again. Returns false when the .json could not be removed.
     */
    boolean delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            return false;
        }
        try {
            Files.deleteIfExists(tensorsFile);
        } catch (IOException e) {
            // An unreferenced tensors file only takes space; the next run in the folder removes it.
        }
        return true;
    }

    /** Puts the saved parameters into {@code network} and the optimizer state into {@code optimizer}. */
    public void restore(Network network, Adamax optimizer) {
        StateDict model = new StateDict(file.toString());
        for (String key : tensors.keys()) {
            if (key.startsWith(MODEL)) {
                model.put(key.substring(MODEL.length()), tensors.get(key));
            }
        }
        ModelFiles.load(network, model, tensors.source());
        if (state.bestParameters() != null) {
            // Checked now, not when the run ends: a damaged set must not cost a whole run.
            for (Map.Entry<String, NDArray> e : network.parameters().entrySet()) {
                state.bestParameters().require(e.getKey(), e.getValue().getShape().getShape());
            }
        }
        for (Map.Entry<String, NDArray> e : network.parameters().entrySet()) {
            long[] shape = e.getValue().getShape().getShape();
            Tensor m = tensors.get(FIRST_MOMENT + e.getKey());
            Tensor u = tensors.get(INFINITY_NORM + e.getKey());
            if (m == null || u == null) {
                if (adamaxSteps > 0) {
                    throw SpsnException.data("checkpoint " + tensors.source() + " is damaged: it has no optimizer"
                            + " state for " + e.getKey() + "; resume from another checkpoint or start again");
                }
                continue;
            }
            tensors.require(FIRST_MOMENT + e.getKey(), shape);
            tensors.require(INFINITY_NORM + e.getKey(), shape);
            optimizer.restore(e.getKey(), shape, m.data(), u.data(), adamaxSteps);
        }
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s+", " ").trim();
    }
}
