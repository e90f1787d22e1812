package spsn.train;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import spsn.SpsnException;
import spsn.io.AtomicFiles;
import spsn.io.StateDict;
import spsn.io.Tensor;
import spsn.io.TorchStateDictWriter;
import spsn.model.Network;

/**
 * Writes a run's checkpoint into its folder: checkpoint_N_ID.json, replaced atomically each
 * time, names the tensors file checkpoint_N_ID.K.pt written just before it (K counts the
 * checkpoints). The .json thus always names a complete .pt of the same moment, whenever the
 * process dies; older .pt files are removed once the new .json is in place.
 */
final class CheckpointWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final String neuron;
    private final long runId;
    private final String toolVersion;
    private final DataIdentity data;
    private int sequence;
    private boolean written;

    /**
     * @param sequence checkpoints already written by the run (0 for a new run)
     * @param data sizes and fingerprints of the run's data (checked on resume)
     */
    CheckpointWriter(Path dir, String neuron, long runId, int sequence, String toolVersion, DataIdentity data) {
        this.dir = dir;
        this.data = data;
        this.neuron = neuron;
        this.runId = runId;
        this.sequence = sequence;
        this.toolVersion = toolVersion;
    }

    Path json() {
        return dir.resolve(RunFiles.checkpoint(neuron, runId));
    }

    /** Whether this writer has put a checkpoint on disk yet. */
    boolean written() {
        return written;
    }

    /**
     * Writes the first checkpoint of a new run, which also claims its run id: returns false,
     * writing nothing, when another run already uses the id's checkpoint names (the caller then
     * tries the next id).
     */
    boolean writeFirst(RunSettings settings, RunState state, Network network, Adamax optimizer) {
        Path tensors = dir.resolve(tensorsName(1));
        if (Files.exists(json()) || Files.exists(tensors)) {
            return false;
        }
        try {
            TorchStateDictWriter.write(tensors, tensors(network, optimizer, state));
        } catch (SpsnException e) {
            if (Files.exists(tensors)) {
                return false; // another run took the name a moment ago
            }
            throw e;
        }
        try {
            AtomicFiles.writeNew(json(), out -> out.write(content(settings, state, optimizer.steps(), 1)));
        } catch (SpsnException e) {
            deleteQuietly(tensors);
            if (Files.exists(json())) {
                return false;
            }
            throw e;
        }
        sequence = 1;
        written = true;
        return true;
    }

    /** Saves the run as it stands, replacing its previous checkpoint. */
    void write(RunSettings settings, RunState state, Network network, Adamax optimizer) {
        int next = sequence + 1;
        Path tensors = dir.resolve(tensorsName(next));
        // Left by a process of this run that died between this .pt and its .json: never referenced.
        deleteQuietly(tensors);
        TorchStateDictWriter.write(tensors, tensors(network, optimizer, state));
        byte[] text = content(settings, state, optimizer.steps(), next);
        AtomicFiles.write(json(), out -> out.write(text));
        sequence = next;
        written = true;
        deleteTensorsExcept(next);
    }

    /**
     * Removes the run's checkpoint (after the run completed: its results and model hold what
     * matters). Returns false when the .json could not be removed.
     */
    boolean delete() {
        try {
            Files.deleteIfExists(json());
        } catch (IOException e) {
            return false;
        }
        deleteTensorsExcept(-1);
        return true;
    }

    private byte[] content(RunSettings settings, RunState state, int adamaxSteps, int next) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", CheckpointJson.FORMAT);
        root.put("version", CheckpointJson.VERSION);
        root.put("tool_version", toolVersion);
        root.put("run_id", runId);
        root.put("seed", state.seed());
        root.put("train_samples", data.trainSamples());
        root.put("test_samples", data.testSamples());
        root.put("train_fingerprint", data.trainFingerprint());
        root.put("test_fingerprint", data.testFingerprint());
        root.put("epochs_done", state.epochsDone());
        root.put("epoch_progress", CheckpointJson.progress(state.epoch()));
        root.put("adamax_steps", adamaxSteps);
        root.put("sequence", next);
        root.put("tensors", tensorsName(next));
        root.put("partial_results", state.partialResults());
        root.put("best_epoch", state.bestEpoch());
        root.put("history", CheckpointJson.history(state.history()));
        root.put("settings", CheckpointJson.settings(settings));
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("checkpoint content cannot be written as JSON", e);
        }
    }

    private static StateDict tensors(Network network, Adamax optimizer, RunState run) {
        StateDict dict = new StateDict("checkpoint");
        Map<String, NDArray> params = network.parameters();
        // the whole state (buffers too): the model part reads back as a model file does
        for (Map.Entry<String, NDArray> e : network.state().entrySet()) {
            dict.put(Checkpoint.MODEL + e.getKey(), copy(e.getValue()));
        }
        for (String name : params.keySet()) {
            NDArray[] state = optimizer.state(name);
            if (state[0] != null && state[1] != null) {
                dict.put(Checkpoint.FIRST_MOMENT + name, copy(state[0]));
                dict.put(Checkpoint.INFINITY_NORM + name, copy(state[1]));
            }
        }
        // --select best: the kept parameters travel with the checkpoint, so a resumed run keeps them.
        if (run.bestParameters() != null) {
            for (String key : run.bestParameters().keys()) {
                dict.put(Checkpoint.BEST + key, run.bestParameters().get(key));
            }
        }
        return dict;
    }

    private static Tensor copy(NDArray array) {
        return Tensor.of(array.toFloatArray(), array.getShape().getShape());
    }

    private String tensorsName(int k) {
        return "checkpoint_" + neuron + "_" + runId + "." + k + ".pt";
    }

    private void deleteTensorsExcept(int keep) {
        Pattern mine = Pattern.compile(Pattern.quote("checkpoint_" + neuron + "_" + runId + ".") + "\\d+\\.pt");
        String kept = keep < 0 ? null : tensorsName(keep);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (mine.matcher(name).matches() && !name.equals(kept)) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            // Old tensors files only take space; the run's state is safe in the new ones.
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Writing the file will fail with a clear message if it is really in the way.
        }
    }
}
