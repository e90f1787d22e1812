package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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
            return finish(layers.get(0).forward(timeMajor, pass), pass, null);
        }
    }

    /**
     * Runs the network on a batch of spike lists, the training and test path: on the CPU the first
     * layer adds up weight columns in Java ({@link #forwardSpikes}), elsewhere it is the engine's
     * sparse product ({@link #forwardSparse}). Call {@link ForwardResult#backward} for gradients.
     */
    public ForwardResult forward(NDManager scope, SparseBatch batch, NoiseSource noise) {
        SpikeRows rows = SpikeRows.timeMajor(batch, paddedSteps(batch.steps()));
        if (scope.getDevice().isGpu()) {
            return forwardSparse(SparseInput.coo(scope, rows), batch.batchSize(), batch.steps(), noise);
        }
        return forwardSpikes(rows, batch.batchSize(), batch.steps(), noise, scope);
    }

    /**
     * Runs the network on spikes grouped by time-first row (see SpikeRows), padded to
     * {@link #paddedSteps}(steps); the first layer is computed in Java (CPU only, see
     * SpikeProjection). Equal to {@link #forward(NDArray, NoiseSource)} on the dense form.
     */
    public ForwardResult forwardSpikes(SpikeRows rows, int batch, int steps, NoiseSource noise, NDManager scope) {
        int padded = paddedSteps(steps);
        Pass pass = new Pass(noise, new ArrayList<>(), steps);
        SpikeProjection projection = SpikeProjection.forward(layers.get(0).dense(), rows, padded, batch, scope);
        // the current stays open: its gradient is read after the backward pass
        return finish(layers.get(0).dynamics(projection.current(), pass), pass, projection);
    }

    /**
     * Runs the network on a sparse input: a COO matrix [T'*B, inputSize], T' =
     * {@link #paddedSteps}(steps), whose row t*B+b holds step t of sample b (see SparseInput).
     * Equal to {@link #forward(NDArray, NoiseSource)} on the dense form.
     */
    public ForwardResult forwardSparse(NDArray coo, int batch, int steps, NoiseSource noise) {
        int padded = paddedSteps(steps);
        if (coo.getShape().get(0) != (long) padded * batch) {
            throw new IllegalArgumentException("sparse input has " + coo.getShape().get(0) + " rows, expected "
                    + padded + " padded steps x " + batch + " samples");
        }
        Pass pass = new Pass(noise, new ArrayList<>(), steps);
        try (NDArray current = layers.get(0).dense().applySparse(coo, padded, batch)) {
            return finish(layers.get(0).dynamics(current, pass), pass, null);
        }
    }

    private ForwardResult finish(NDArray firstLayerOutput, Pass pass, SpikeProjection spikeInput) {
        NDArray h = firstLayerOutput;
        for (Layer layer : layers.subList(1, layers.size() - 1)) {
            NDArray next = layer.forward(h, pass);
            h.close(); // intermediate activations: autograd keeps what it needs
            h = next;
        }
        // the output layer runs on demand (ForwardResult): a loss that reduces over time needs
        // only a weighted sum of its inputs
        OutputLayer output = (OutputLayer) layers.get(layers.size() - 1);
        return new ForwardResult(output, h, pass, spikeInput);
    }

    @Override
    public void close() {
        integrator.close();
        manager.close();
    }
}
