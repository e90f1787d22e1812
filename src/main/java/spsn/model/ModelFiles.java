package spsn.model;

import ai.djl.ndarray.NDArray;
import spsn.SpsnException;
import spsn.io.StateDict;
import spsn.io.Tensor;

import java.util.Map;

/** Moves a network's parameters to and from a PyTorch state_dict with the original's keys. */
public final class ModelFiles {

    private ModelFiles() {
    }

    /** The network's parameters as a state_dict (copies, in the original's key order). */
    public static StateDict toStateDict(Network network) {
        StateDict dict = new StateDict("network");
        for (Map.Entry<String, NDArray> e : network.parameters().entrySet()) {
            dict.put(e.getKey(), Tensor.of(e.getValue().toFloatArray(), e.getValue().getShape().getShape()));
        }
        return dict;
    }

    /**
     * Copies every parameter from {@code dict} into the network. Keys and shapes must match the
     * network exactly; a mismatch names the key (and both shapes), or the architecture.
     */
    public static void load(Network network, StateDict dict, String source) {
        checkArchitecture(network.config(), dict, source);
        for (Map.Entry<String, NDArray> e : network.parameters().entrySet()) {
            Tensor tensor = dict.require(e.getKey(), e.getValue().getShape().getShape());
            e.getValue().set(tensor.data());
        }
    }

    private static void checkArchitecture(NetworkConfig config, StateDict dict, String source) {
        boolean fileSpiking = dict.containsKey("0.fc.weight");
        boolean fileNonSpiking = dict.containsKey("0.weight");
        if (config.neuron().spiking() && fileNonSpiking && !fileSpiking) {
            throw SpsnException.data("model file " + source + " holds a Non-Spiking network (keys 0.weight, 2.weight, ...)"
                    + " but --neuron " + config.neuron().cliName() + " needs a spiking one; use --neuron Non-Spiking");
        }
        if (!config.neuron().spiking() && fileSpiking) {
            throw SpsnException.data("model file " + source + " holds a spiking network (keys 0.fc.weight, ...)"
                    + " but --neuron Non-Spiking needs keys 0.weight, 2.weight, ...; use --neuron LIF, SPSN-SB or SPSN-GS");
        }
        int expected = 2 * (config.nbLayers() + 1);
        if (dict.size() != expected) {
            throw SpsnException.data("model file " + source + " holds " + dict.size() / 2 + " layers but --nb_layers "
                    + config.nbLayers() + " needs " + (config.nbLayers() + 1) + " (hidden + output);"
                    + " set --nb_layers to match the file");
        }
    }
}
