package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import spsn.SpsnException;
import spsn.io.HostFloats;
import spsn.io.StateDict;
import spsn.io.Tensor;
import spsn.io.TorchStateDictReader;
import spsn.nir.NirFile;
import spsn.nir.NirImport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Moves a network's parameters to and from a PyTorch state_dict with the original's keys, and
 * loads NIR graphs (spsn.nir) into the same keys.
 */
public final class ModelFiles {

    /** Key prefix of the model in a training checkpoint's tensors (which --load_model also accepts). */
    public static final String CHECKPOINT_PREFIX = "model.";

    private static final Pattern SPIKING_WEIGHT = Pattern.compile("\\d+\\.fc\\.weight");
    private static final Pattern NON_SPIKING_WEIGHT = Pattern.compile("\\d+\\.weight");
    private static final Pattern PARALIF_DECAY = Pattern.compile("\\d+\\._alpha");

    private ModelFiles() {
    }

    /** The network's parameters as a state_dict (copies, in the original's key order). */
    public static StateDict toStateDict(Network network) {
        StateDict dict = new StateDict("network");
        for (Map.Entry<String, NDArray> e : network.state().entrySet()) {
            dict.put(e.getKey(), Tensor.of(e.getValue().toFloatArray(), e.getValue().getShape().getShape()));
        }
        return dict;
    }

    /**
     * Loads a model file into the network, by its type: a NIR graph (HDF5, usually .nir; see
     * docs/NIR.md) or a PyTorch state_dict / checkpoint tensors (.pt).
     */
    public static void loadFile(Network network, Path file) {
        if (file.getFileName().toString().endsWith(".nir") || NirFile.looksLikeHdf5(file)) {
            // learnable decays are found as the network's engine computes sigmoids, on its device
            try (NDManager manager = NDManager.newBaseManager(network.state().values().iterator().next().getDevice())) {
                StateDict dict = NirImport.parameters(NirFile.read(file), network.config(), toStateDict(network),
                        (decays, shape, what) -> LearnedDecay.raws(manager, decays, shape, what), file.toString());
                load(network, dict, file.toString());
            }
        } else {
            load(network, TorchStateDictReader.read(file), file.toString());
        }
    }

    /**
     * Copies every parameter from {@code dict} into the network. The file must hold exactly the
     * network's keys, with its shapes and finite values; a mismatch is a one-line error naming
     * the file, the key or the architecture, and the flag to change.
     */
    public static void load(Network network, StateDict dict, String source) {
        StateDict model = modelPart(dict);
        NetworkConfig config = network.config();
        checkArchitecture(config, model, source);
        List<String> unexpected = new ArrayList<>(model.keys());
        unexpected.removeAll(network.state().keySet());
        if (!unexpected.isEmpty()) {
            throw SpsnException.data("model file " + source + " has keys this network does not have: "
                    + String.join(", ", unexpected.subList(0, Math.min(6, unexpected.size())))
                    + (unexpected.size() > 6 ? ", ..." : "") + "; was it saved from this network (see README, Model files)?");
        }
        for (Map.Entry<String, NDArray> e : network.state().entrySet()) {
            long[] expected = e.getValue().getShape().getShape();
            // A missing key: require throws, listing the keys the file has.
            Tensor tensor = model.containsKey(e.getKey()) ? model.get(e.getKey()) : model.require(e.getKey(), expected);
            if (!Arrays.equals(tensor.shape(), expected)) {
                throw SpsnException.data("model file " + source + ": key " + e.getKey() + " has shape "
                        + Arrays.toString(tensor.shape()) + " but this network needs " + Arrays.toString(expected)
                        + "; " + shapeHint(config, layerOf(config.neuron(), e.getKey()), tensor.shape(), expected));
            }
            for (float v : tensor.data()) {
                if (!Float.isFinite(v)) {
                    throw SpsnException.data("model file " + source + ": key " + e.getKey() + " holds " + v
                            + " values; the model is damaged (saved after its training diverged?)");
                }
            }
            checkFixedDecay(config, e.getKey(), tensor, source);
            HostFloats.write(e.getValue(), tensor.data());
        }
    }

    /**
     * A fixed decay factor saved as a buffer (ParaLIF's _alpha, _beta without --learn_tau) must be
     * the one the time constants give: the integration is built from them, not from the file.
     */
    private static void checkFixedDecay(NetworkConfig config, String key, Tensor tensor, String source) {
        if (config.options().learnTau() || tensor.data().length != 1) {
            return;
        }
        boolean alpha = key.endsWith("._alpha");
        if (!alpha && !key.endsWith("._beta")) {
            return;
        }
        float expected = alpha ? config.decay().alpha() : config.decay().beta();
        float found = tensor.data()[0];
        if (Math.abs(found - expected) > 1e-6f * Math.max(1f, Math.abs(expected))) {
            double tau = -1e-3 / Math.log(found);
            throw SpsnException.data("model file " + source + ": key " + key + " is " + found + " (a time constant of "
                    + String.format(java.util.Locale.ROOT, "%.4g", tau) + " s) but this network's is " + expected
                    + "; run with --" + (alpha ? "tau_syn " : "tau_mem ")
                    + String.format(java.util.Locale.ROOT, "%.4g", tau) + (found > 0.5f && found < 1f ? "" : " or --learn_tau"));
        }
    }

    /** The layer (0 = first hidden) a key belongs to, from its leading module index. */
    private static int layerOf(NeuronType neuron, String key) {
        int module = Integer.parseInt(key.substring(0, key.indexOf('.')));
        boolean wrapped = neuron.spiking() && !neuron.family().sequentialKeys();
        return wrapped ? module : module / 2;
    }

    /** A training checkpoint's tensors hold the model under "model."; a model file holds it alone. */
    public static StateDict modelPart(StateDict dict) {
        boolean bare = dict.containsKey("0.fc.weight") || dict.containsKey("0.weight");
        if (bare || !(dict.containsKey(CHECKPOINT_PREFIX + "0.fc.weight") || dict.containsKey(CHECKPOINT_PREFIX + "0.weight"))) {
            return dict;
        }
        StateDict model = new StateDict(dict.source());
        for (String key : dict.keys()) {
            if (key.startsWith(CHECKPOINT_PREFIX)) {
                model.put(key.substring(CHECKPOINT_PREFIX.length()), dict.get(key));
            }
        }
        return model;
    }

    private static void checkArchitecture(NetworkConfig config, StateDict dict, String source) {
        int spikingLayers = count(dict, SPIKING_WEIGHT);
        int sequentialLayers = count(dict, NON_SPIKING_WEIGHT);
        boolean paraLif = count(dict, PARALIF_DECAY) > 0;
        NeuronType neuron = config.neuron();
        boolean wantParaLif = neuron.family().sequentialKeys();
        if (neuron.spiking() && !wantParaLif && spikingLayers == 0 && sequentialLayers > 0) {
            throw SpsnException.data("model file " + source + " holds a " + (paraLif ? "ParaLIF" : "Non-Spiking")
                    + " network (keys 0.weight, 2.weight, ...) but --neuron " + neuron.cliName()
                    + " needs a spiking one; use --neuron " + (paraLif ? "LIF-LT or ParaLIF-*" : "Non-Spiking"));
        }
        if (!neuron.spiking() && (spikingLayers > 0 || paraLif)) {
            throw SpsnException.data("model file " + source + " holds a spiking network (keys "
                    + (paraLif ? "1._alpha" : "0.fc.weight") + ", ...)"
                    + " but --neuron Non-Spiking needs keys 0.weight, 2.weight, ...; use --neuron "
                    + (paraLif ? "LIF-LT or ParaLIF-*" : "LIF, SPSN-SB or SPSN-GS"));
        }
        if (wantParaLif && (spikingLayers > 0 || (sequentialLayers > 0 && !paraLif))) {
            throw SpsnException.data("model file " + source + " holds " + (spikingLayers > 0
                    ? "an SPSN network (keys 0.fc.weight, ...); use --neuron LIF, SPSN-SB or SPSN-GS"
                    : "a Non-Spiking network (keys 0.weight, 2.weight, ...); use --neuron Non-Spiking")
                    + " (--neuron " + neuron.cliName() + " needs ParaLIF's keys 0.weight, 1._alpha, ...)");
        }
        int layers = neuron.spiking() && !wantParaLif ? spikingLayers : sequentialLayers;
        if (layers > 0 && layers != config.nbLayers() + 1) {
            throw SpsnException.data("model file " + source + " holds " + layers + " layers (" + (layers - 1)
                    + " hidden + output) but --nb_layers " + config.nbLayers() + " builds " + (config.nbLayers() + 1)
                    + "; run with --nb_layers " + (layers - 1));
        }
    }

    private static int count(StateDict dict, Pattern weightKey) {
        int n = 0;
        for (String key : dict.keys()) {
            if (weightKey.matcher(key).matches()) {
                n++;
            }
        }
        return n;
    }

    /** Which setting differs, from the dimension that differs (weights are [out, in]). */
    private static String shapeHint(NetworkConfig config, int layer, long[] found, long[] expected) {
        boolean output = layer == config.nbLayers();
        if (found.length + expected.length == 1) {
            // a threshold or decay: 0-d for one per layer, [H] for one per neuron
            return found.length == 1 ? "its thresholds and time constants are per neuron: run with --per_neuron"
                    : "its thresholds and time constants are one per layer: run without --per_neuron";
        }
        if (found.length != expected.length) {
            return "the file is not a model of this tool's network";
        }
        if (found[0] != expected[0]) {
            return output ? "the file's network has " + found[0] + " classes but the data has " + expected[0]
                    : "run with --hidden_size " + found[0];
        }
        return layer == 0 ? "the file's network takes " + found[1] + " input channels but the data has " + expected[1]
                : "run with --hidden_size " + found[1];
    }
}
