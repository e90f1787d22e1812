package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import spsn.data.CompactRows;
import spsn.data.SparseBatch;
import spsn.data.SpikeRows;
import spsn.neuron.LeakyIntegrator;
import spsn.neuron.LifDynamics;
import spsn.neuron.NoiseSource;
import spsn.neuron.TempArrays;

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
        if (config.nbLayers() < 1) {
            throw new IllegalArgumentException("a network needs at least one hidden layer, got " + config.nbLayers());
        }
        NDManager manager = parent.newSubManager();
        Random random = new Random(initSeed);
        LeakyIntegrator integrator = new LeakyIntegrator(config.decay(), manager);
        LeakyIntegrator synapse = LifDynamics.synapse(config.decay(), manager);
        List<Layer> layers = new ArrayList<>();
        boolean spiking = config.neuron().spiking();
        int in = config.inputSize();
        for (int i = 0; i < config.nbLayers(); i++) {
            int out = config.hiddenSize();
            layers.add(spiking
                    ? new SpikingLayer(Dense.kaimingUniform(manager, in, out, random), config.neuron(), integrator, synapse)
                    : new ReluLayer(Dense.torchDefault(manager, in, out, random)));
            in = out;
        }
        layers.add(spiking
                ? new MembraneLayer(Dense.kaimingUniform(manager, in, config.nbClasses(), random), integrator)
                : new LinearLayer(Dense.torchDefault(manager, in, config.nbClasses(), random)));
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

    /**
     * The length of the time axis the layers work with for {@code steps} real steps: spiking
     * networks pad it at the end to whole chunks of the integration (causal, so the padding never
     * changes a real step), Non-Spiking ones need no padding.
     */
    public int paddedSteps(int steps) {
        return config.neuron().spiking() ? integrator.alignedLength(steps) : steps;
    }

    /** Runs the network on a dense input x of shape [B, T, inputSize]. */
    public ForwardResult forward(NDArray x, NoiseSource noise) {
        int steps = (int) x.getShape().get(1);
        int padded = paddedSteps(steps);
        Pass pass = new Pass(noise, new ArrayList<>(), steps);
        try (TempArrays tmp = new TempArrays()) {
            NDArray timeMajor = tmp.add(x.transpose(1, 0, 2));
            if (padded > steps) {
                timeMajor = tmp.add(timeMajor.pad(new Shape(0, 0, 0, 0, 0, padded - steps), 0));
            }
            NDArray hidden = hiddenLayers(layers.get(0).forward(timeMajor, pass), pass);
            return new ForwardResult(new TimeMajorReadout(outputLayer(), hidden, pass), pass.rates(), null);
        }
    }

    /**
     * Runs the network on a batch of spike lists, the training and test path, with the first layer
     * computed the fastest way on the scope's device. Equal to {@link #forward(NDArray, NoiseSource)}
     * on the dense form. Call {@link ForwardResult#backward} for gradients.
     */
    public ForwardResult forward(NDManager scope, SparseBatch batch, NoiseSource noise) {
        return forward(scope, batch, noise, InputPath.forDevice(scope.getDevice()));
    }

    /**
     * Same, with the first layer computed by {@code path}. Non-Spiking networks, where step t
     * depends on input step t alone, run on the batch's non-empty bins plus one empty bin
     * (CompactRows); spiking ones on every step, time first, padded to {@link #paddedSteps}.
     */
    public ForwardResult forward(NDManager scope, SparseBatch batch, NoiseSource noise, InputPath path) {
        Pass pass = new Pass(noise, new ArrayList<>(), batch.steps());
        Layer first = layers.get(0);
        if (!config.neuron().spiking()) {
            CompactRows rows = CompactRows.of(batch);
            FirstCurrent input = FirstCurrent.of(first.dense(), rows.spikes(), path, scope);
            NDArray hidden = hiddenLayers(input.dynamics(first, pass, null), pass);
            return new ForwardResult(new CompactReadout(outputLayer(), hidden, rows), pass.rates(), input.projection());
        }
        int padded = paddedSteps(batch.steps());
        FirstCurrent input = FirstCurrent.of(first.dense(), SpikeRows.timeMajor(batch, padded), path, scope);
        NDArray hidden = hiddenLayers(input.dynamics(first, pass, new Shape(padded, batch.batchSize(), -1)), pass);
        return new ForwardResult(new TimeMajorReadout(outputLayer(), hidden, pass), pass.rates(), input.projection());
    }

    /**
     * The first layer's current [rows, out] for a spike list, with the Java projection whose
     * gradient is formed after the backward pass (null on the engine's path).
     */
    private record FirstCurrent(NDArray current, SpikeProjection projection) {

        static FirstCurrent of(Dense dense, SpikeRows spikes, InputPath path, NDManager scope) {
            if (path == InputPath.JAVA) {
                SpikeProjection projection = SpikeProjection.forward(dense, spikes, scope);
                return new FirstCurrent(projection.current(), projection);
            }
            return new FirstCurrent(dense.applySparse(SparseInput.coo(scope, spikes)), null);
        }

        /** The layer's dynamics on the current, seen as {@code shape} (time first) unless null. */
        NDArray dynamics(Layer layer, Pass pass, Shape shape) {
            NDArray input = shape == null ? current : current.reshape(shape);
            try {
                return layer.dynamics(input, pass);
            } finally {
                if (input != current) {
                    input.close();
                }
                // the Java projection's current stays open: its gradient is read after the backward
                if (projection == null) {
                    current.close();
                }
            }
        }
    }

    /** The hidden layers after the first, from the first's output; returns the last's output. */
    private NDArray hiddenLayers(NDArray firstLayerOutput, Pass pass) {
        NDArray h = firstLayerOutput;
        for (Layer layer : layers.subList(1, layers.size() - 1)) {
            NDArray next = layer.forward(h, pass);
            h.close(); // intermediate activations: autograd keeps what it needs
            h = next;
        }
        return h;
    }

    /**
     * The output layer runs on demand (see ForwardResult): a loss that reduces over time needs
     * only a weighted sum of its inputs.
     */
    private OutputLayer outputLayer() {
        return (OutputLayer) layers.get(layers.size() - 1);
    }

    @Override
    public void close() {
        integrator.close();
        manager.close();
    }
}
