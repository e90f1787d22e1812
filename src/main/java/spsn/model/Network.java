package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import spsn.neuron.LeakyIntegrator;
import spsn.neuron.LifDynamics;
import spsn.neuron.NoiseSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;

/**
 * The original's network: {@code nbLayers} hidden layers then a non-firing output layer.
 * Parameters are named as the original's {@code nn.Sequential} state_dict names them, so that
 * model files move between the two.
 *
 * <p>Results of {@link #forward} belong to the parameters' manager unless the caller
 * temporarily attaches the parameters to a per-batch manager (the trainer does), which is what
 * keeps native memory flat during training.
 */
public final class Network implements AutoCloseable {

    private final NetworkConfig config;
    private final NDManager manager;
    private final LeakyIntegrator integrator;
    private final List<Layer> layers;
    private final LinkedHashMap<String, NDArray> parameters = new LinkedHashMap<>();

    private Network(NetworkConfig config, NDManager manager, LeakyIntegrator integrator, List<Layer> layers) {
        this.config = config;
        this.manager = manager;
        this.integrator = integrator;
        this.layers = layers;
        for (int i = 0; i < layers.size(); i++) {
            String prefix = parameterPrefix(config.neuron(), i);
            parameters.put(prefix + "weight", layers.get(i).dense().weight());
            parameters.put(prefix + "bias", layers.get(i).dense().bias());
        }
    }

    /** Builds a network with freshly initialised parameters, deterministic in {@code initSeed}. */
    public static Network create(NDManager parent, NetworkConfig config, long initSeed) {
        NDManager manager = parent.newSubManager();
        Random random = new Random(initSeed);
        LeakyIntegrator integrator = new LeakyIntegrator(config.decay(), manager);
        LeakyIntegrator synapse = LifDynamics.synapse(config.decay(), manager);
        List<Layer> layers = new ArrayList<>();
        int in = config.inputSize();
        for (int i = 0; i <= config.nbLayers(); i++) {
            boolean output = i == config.nbLayers();
            int out = output ? config.nbClasses() : config.hiddenSize();
            if (config.neuron().spiking()) {
                layers.add(new SpikingLayer(Dense.kaimingUniform(manager, in, out, random),
                        config.neuron(), integrator, synapse, !output));
            } else {
                Dense dense = Dense.torchDefault(manager, in, out, random);
                layers.add(output ? new LinearLayer(dense) : new ReluLayer(dense));
            }
            in = out;
        }
        return new Network(config, manager, integrator, Collections.unmodifiableList(layers));
    }

    /**
     * State-dict key prefix of layer {@code index}: spiking layers wrap their Linear as
     * {@code fc} ("0.fc."); Non-Spiking interleaves Linear and ReLU modules ("0.", "2.", ...).
     */
    static String parameterPrefix(NeuronType neuron, int index) {
        return neuron.spiking() ? index + ".fc." : (2 * index) + ".";
    }

    public NetworkConfig config() {
        return config;
    }

    /** Trainable parameters by state_dict name, in the original's order. */
    public LinkedHashMap<String, NDArray> parameters() {
        return parameters;
    }

    /** Runs the network on a dense input x of shape [B, T, inputSize]. */
    public ForwardResult forward(NDArray x, NoiseSource noise) {
        List<NDArray> rates = new ArrayList<>();
        try (NDArray timeLast = x.transpose(0, 2, 1)) {
            return finish(layers.get(0).forward(timeLast, noise, rates), noise, rates);
        }
    }

    /**
     * Runs the network on a sparse input: a COO matrix [B*T, inputSize] whose row b*T+t holds
     * step t of sample b. Equal to {@link #forward} on the dense form, much cheaper for spikes.
     */
    public ForwardResult forwardSparse(NDArray coo, int batch, int steps, NoiseSource noise) {
        List<NDArray> rates = new ArrayList<>();
        try (NDArray current = layers.get(0).dense().applySparse(coo, batch, steps)) {
            return finish(layers.get(0).dynamics(current, noise, rates), noise, rates);
        }
    }

    private ForwardResult finish(NDArray firstLayerOutput, NoiseSource noise, List<NDArray> rates) {
        NDArray h = firstLayerOutput;
        for (Layer layer : layers.subList(1, layers.size())) {
            NDArray next = layer.forward(h, noise, rates);
            h.close(); // intermediate activations: autograd keeps what it needs
            h = next;
        }
        try (NDArray timeLast = h) {
            return new ForwardResult(h.transpose(0, 2, 1), rates);
        }
    }

    @Override
    public void close() {
        integrator.close();
        manager.close();
    }
}
