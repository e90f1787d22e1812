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
    private final LinkedHashMap<String, NDArray> state = new LinkedHashMap<>();

    private Network(NetworkConfig config, NDManager manager, LeakyIntegrator integrator, List<Layer> layers) {
        this.config = config;
        this.manager = manager;
        this.integrator = integrator;
        this.layers = layers;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            String prefix = parameterPrefix(config.neuron(), i);
            add(new NamedTensor(prefix + "weight", layer.dense().weight(), true));
            add(new NamedTensor(prefix + "bias", layer.dense().bias(), true));
            String neuronPrefix = neuronPrefix(config.neuron(), i);
            for (NamedTensor t : layer.neuronTensors()) {
                add(new NamedTensor(neuronPrefix + t.name(), t.array(), t.trainable()));
            }
        }
    }

    private void add(NamedTensor entry) {
        state.put(entry.name(), entry.array());
        if (entry.trainable()) {
            parameters.put(entry.name(), entry.array());
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
        NeuronType neuron = config.neuron();
        NeuronOptions options = config.options();
        List<Layer> layers = new ArrayList<>();
        int in = config.inputSize();
        for (int i = 0; i < config.nbLayers(); i++) {
            int out = config.hiddenSize();
            layers.add(switch (neuron.dynamics()) {
                case RELU -> new ReluLayer(Dense.torchDefault(manager, in, out, random));
                case PARALLEL -> {
                    Dense dense = Dense.kaimingUniform(manager, in, out, random);
                    NeuronParameters p = NeuronParameters.create(manager, config, out, true, integrator, random);
                    yield new ParallelLayer(dense, p, neuron.spikeFunction(options.surrogate()), options.recurrentRelu());
                }
                case LIF -> {
                    Dense dense = Dense.kaimingUniform(manager, in, out, random);
                    NeuronParameters p = NeuronParameters.create(manager, config, out, true, integrator, random);
                    yield new LifLayer(dense, p, synapse, options.surrogate(), options.recurrentRelu());
                }
            });
            in = out;
        }
        layers.add(neuron.spiking()
                ? new MembraneLayer(Dense.kaimingUniform(manager, in, config.nbClasses(), random),
                        NeuronParameters.create(manager, config, config.nbClasses(), false, integrator, random))
                : new LinearLayer(Dense.torchDefault(manager, in, config.nbClasses(), random)));
        return new Network(config, manager, integrator, Collections.unmodifiableList(layers));
    }

    /**
     * State-dict key prefix of layer {@code index}'s Linear map: SPSN's spiking layers wrap it as
     * {@code fc} ("0.fc."); Non-Spiking and ParaLIF's {@code nn.Sequential} interleave Linear and
     * neuron modules ("0.", "2.", ...).
     */
    public static String parameterPrefix(NeuronType neuron, int index) {
        boolean wrapped = neuron.spiking() && !neuron.family().sequentialKeys();
        return wrapped ? index + ".fc." : (2 * index) + ".";
    }

    /** Key prefix of layer {@code index}'s neuron tensors ("0." in SPSN's layout, "1." in ParaLIF's). */
    public static String neuronPrefix(NeuronType neuron, int index) {
        return neuron.family().sequentialKeys() ? (2 * index + 1) + "." : index + ".";
    }

    public NetworkConfig config() {
        return config;
    }

    /** Trainable parameters by state_dict name, in the original's order. */
    public LinkedHashMap<String, NDArray> parameters() {
        return parameters;
    }

    /**
     * Every state_dict entry (parameters and buffers, in PyTorch's order): what a model file
     * holds. Buffers are saved as they are (the spike counts as zeros: ParaLIF overwrites them on
     * every forward pass).
     */
    public LinkedHashMap<String, NDArray> state() {
        return state;
    }

    /**
     * The length of the time axis the layers work with for {@code steps} real steps with the
     * engine's integration: spiking networks pad it at the end to whole chunks (causal, so the
     * padding never changes a real step), Non-Spiking ones need no padding.
     */
    public int paddedSteps(int steps) {
        return paddedSteps(steps, IntegrationPath.ENGINE);
    }

    /** The same for {@code integration}: the Java recurrence needs no padding. */
    public int paddedSteps(int steps, IntegrationPath integration) {
        return config.neuron().needsTimePadding() && integration == IntegrationPath.ENGINE
                ? integrator.alignedLength(steps) : steps;
    }

    /**
     * Runs the network on a dense input x of shape [B, T, inputSize], every step in the engine's
     * autograd (the plain path, against which the fast ones are checked).
     */
    public ForwardResult forward(NDArray x, NoiseSource noise) {
        return forward(x, noise, IntegrationPath.ENGINE);
    }

    /**
     * The same with {@code integration}; with {@link IntegrationPath#JAVA}, gradients need
     * {@link ForwardResult#backward}.
     */
    public ForwardResult forward(NDArray x, NoiseSource noise, IntegrationPath integration) {
        int steps = (int) x.getShape().get(1);
        int padded = paddedSteps(steps, integration);
        try (TempArrays tmp = new TempArrays()) {
            NDArray timeMajor = tmp.add(x.transpose(1, 0, 2));
            if (padded > steps) {
                timeMajor = tmp.add(timeMajor.pad(new Shape(0, 0, 0, 0, 0, padded - steps), 0));
            }
            return forwardTimeMajor(timeMajor, steps, noise, integration);
        }
    }

    /**
     * The plain path from the input time first, [T', B, inputSize] with T' =
     * {@link #paddedSteps(int, IntegrationPath)} for {@code steps} real steps.
     */
    private ForwardResult forwardTimeMajor(NDArray timeMajor, int steps, NoiseSource noise,
                                           IntegrationPath integration) {
        Pass pass = new Pass(noise, steps, integration);
        NDArray hidden = hiddenLayers(layers.get(0).forward(timeMajor, pass), pass);
        return new ForwardResult(new TimeMajorReadout(outputLayer(), hidden, pass), pass);
    }

    /**
     * Runs the network on a batch of spike lists, the training and test path, with the first layer
     * and the integration computed the fastest way on the scope's device. Equal to
     * {@link #forward(NDArray, NoiseSource)} on the dense form. Call {@link ForwardResult#backward}
     * for gradients.
     */
    public ForwardResult forward(NDManager scope, SparseBatch batch, NoiseSource noise) {
        return forward(scope, batch, noise, InputPath.forDevice(scope.getDevice()));
    }

    /** Same, with the first layer computed by {@code path}. */
    public ForwardResult forward(NDManager scope, SparseBatch batch, NoiseSource noise, InputPath path) {
        // the dense path is the plain one: everything in the engine's autograd
        return forward(scope, batch, noise, path,
                path == InputPath.DENSE ? IntegrationPath.ENGINE : IntegrationPath.forDevice(scope.getDevice()));
    }

    /**
     * Same, with the first layer computed by {@code path} and spiking layers integrated by
     * {@code integration}. Non-Spiking networks, where step t depends on input step t alone, run on
     * the batch's non-empty bins plus one empty bin (CompactRows); spiking ones on every step, time
     * first, padded to {@link #paddedSteps(int, IntegrationPath)}.
     */
    public ForwardResult forward(NDManager scope, SparseBatch batch, NoiseSource noise, InputPath path,
                                 IntegrationPath integration) {
        if (path == InputPath.DENSE) {
            // autograd keeps what it needs of the input: our handles can go at once
            int padded = paddedSteps(batch.steps(), integration);
            if (padded > batch.steps()) {
                // the padded time-first copy the plain path would make, without the ~200 MB [B, T, inputs] first
                try (NDArray timeMajor = SparseInput.denseTimeMajor(scope, batch, padded)) {
                    return forwardTimeMajor(timeMajor, batch.steps(), noise, integration);
                }
            }
            try (NDArray dense = SparseInput.dense(scope, batch)) {
                return forward(dense, noise, integration);
            }
        }
        Pass pass = new Pass(noise, batch.steps(), integration);
        Layer first = layers.get(0);
        if (config.neuron().stepLocal()) {
            CompactRows rows = CompactRows.of(batch);
            FirstCurrent input = FirstCurrent.of(first.dense(), rows.spikes(), path, scope, pass);
            NDArray hidden = hiddenLayers(input.dynamics(first, pass, null), pass);
            return new ForwardResult(new CompactReadout(outputLayer(), hidden, rows, pass.integrationTape()), pass);
        }
        int padded = paddedSteps(batch.steps(), integration);
        FirstCurrent input = FirstCurrent.of(first.dense(), SpikeRows.timeMajor(batch, padded), path, scope, pass);
        NDArray hidden = hiddenLayers(input.dynamics(first, pass, new Shape(padded, batch.batchSize(), -1)), pass);
        return new ForwardResult(new TimeMajorReadout(outputLayer(), hidden, pass), pass);
    }

    /**
     * The first layer's current [rows, out] for a spike list, with the Java projection whose
     * gradient is formed after the backward pass (null on the engine's path; on the pass's tape).
     */
    private record FirstCurrent(NDArray current, SpikeProjection projection) {

        static FirstCurrent of(Dense dense, SpikeRows spikes, InputPath path, NDManager scope, Pass pass) {
            if (path == InputPath.JAVA) {
                SpikeProjection projection = SpikeProjection.forward(dense, spikes, scope);
                pass.tape().add(projection);
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
