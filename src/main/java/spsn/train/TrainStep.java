package spsn.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import spsn.data.SparseBatch;
import spsn.model.ForwardResult;
import spsn.model.InputPath;
import spsn.model.IntegrationPath;
import spsn.model.Network;
import spsn.model.NeuronFamily;
import spsn.model.NeuronType;
import spsn.neuron.NoiseSource;

import java.util.function.Function;

/**
 * One batch through a network, the one place where training, testing, validation and the bench
 * do it: a per-batch NDManager scope with the parameters temporarily attached (so that all of
 * the batch's native memory is freed when it ends), the forward pass, the {@link Objective},
 * the backward pass with the Java first layer's gradient included (see
 * {@link ForwardResult#backward}), and the Adamax update at the epoch's learning rate.
 *
 * <p>Everything random comes from the {@link NoiseSource} the caller gives, so a step is a
 * function of (parameters, optimizer state, batch, noise, epoch): the trainer, a resumed run and
 * the bench take the same step on the same batch and noise, bit for bit.
 */
public final class TrainStep {

    private final Network network;
    private final Adamax optimizer;
    private final NDManager manager;
    private final Objective objective;
    private final LearningRateSchedule schedule;

    /**
     * Steps of {@code network} by {@code optimizer}, each batch in a sub-manager of
     * {@code manager}; {@code schedule} gives each epoch's learning rate (null: the optimizer's
     * rate throughout).
     */
    public TrainStep(Network network, Adamax optimizer, NDManager manager, Objective objective,
                     LearningRateSchedule schedule) {
        this.network = network;
        this.optimizer = optimizer;
        this.manager = manager;
        this.objective = objective;
        this.schedule = schedule;
    }

    /** What a training step gives back. */
    public record Update(float loss, int correct, double[] spikes) {
    }

    /**
     * What an evaluation gives back.
     *
     * @param crossEntropy the batch's mean cross-entropy (no regulariser)
     * @param predictions the predicted class of each sample, in the batch's order
     * @param spikes per firing layer, Σ_neurons rate
     * @param recurrentSpikes ParaLIF's nb_spike_per_neuron_rec sums (see {@link #recurrentSums})
     */
    public record Evaluation(float crossEntropy, long[] predictions, double[] spikes, double[] recurrentSpikes) {
    }

    /**
     * A batch's pass after the backward, for a reader inside its scope: the parameters hold the
     * batch's gradients; nothing here outlives the call.
     */
    public record Computed(ForwardResult result, NDArray logits, NDArray loss, NDArray labels) {
    }

    public Network network() {
        return network;
    }

    /** The noise keyed by {@code key} for the step's device (see {@link NoiseSource#keyed}). */
    public NoiseSource noise(long key) {
        return NoiseSource.keyed(key, manager.getDevice());
    }

    /** The learning rate of epoch {@code epoch} (0-based): the schedule's, or the optimizer's constant one. */
    public double learningRate(int epoch) {
        return schedule != null ? schedule.rate(epoch) : optimizer.learningRate();
    }

    /**
     * One training step on {@code batch} in epoch {@code epoch}: forward, loss, backward, then the
     * update, the first layer computed the fastest way on the device. A NaN or infinite loss
     * makes no update (the caller decides what to say; the trainer stops the run).
     */
    public Update train(SparseBatch batch, NoiseSource noise, int epoch) {
        return train(batch, noise, epoch, IntegrationPath.forDevice(manager.getDevice()));
    }

    /** The same with spiking layers integrated by {@code integration} (the bench's A/B). */
    public Update train(SparseBatch batch, NoiseSource noise, int epoch, IntegrationPath integration) {
        if (schedule != null) {
            // a function of the epoch alone, so that a resumed run continues with the same rates
            optimizer.setLearningRate(schedule.rate(epoch));
        }
        Update update = backward(batch, noise, InputPath.forDevice(manager.getDevice()), integration,
                c -> new Update(c.loss().getFloat(), countCorrect(c.logits(), c.labels()), c.result().layerSpikes()));
        if (Float.isFinite(update.loss())) {
            // outside the batch's scope: the update must not run with the parameters attached to it
            optimizer.step(network.parameters());
        }
        return update;
    }

    /**
     * The step without its update: forward with the first layer computed by {@code path}, loss and
     * backward, then {@code read} inside the batch's scope (the parameters' gradients are the
     * batch's there), then the gradients are zeroed. The bench checks its fast paths with it.
     */
    public <R> R gradients(SparseBatch batch, NoiseSource noise, InputPath path, Function<Computed, R> read) {
        return gradients(batch, noise, path, path == InputPath.DENSE ? IntegrationPath.ENGINE
                : IntegrationPath.forDevice(manager.getDevice()), read);
    }

    /** The same with spiking layers integrated by {@code integration}. */
    public <R> R gradients(SparseBatch batch, NoiseSource noise, InputPath path, IntegrationPath integration,
                           Function<Computed, R> read) {
        return backward(batch, noise, path, integration, c -> {
            R value = read.apply(c);
            for (NDArray parameter : network.parameters().values()) {
                NDArray gradient = parameter.getGradient(); // a handle in the batch's scope
                gradient.subi(gradient);
            }
            return value;
        });
    }

    /**
     * Testing and validation: the forward pass alone (no gradient recorded: no collector is open),
     * the cross-entropy of the objective's reduction over time, the predictions and spike counts.
     */
    public Evaluation evaluate(SparseBatch batch, NoiseSource noise) {
        return evaluate(batch, noise, IntegrationPath.forDevice(manager.getDevice()));
    }

    /** The same with spiking layers integrated by {@code integration}. */
    public Evaluation evaluate(SparseBatch batch, NoiseSource noise, IntegrationPath integration) {
        try (NDManager scope = batchScope()) {
            ForwardResult result = network.forward(scope, batch, noise, InputPath.forDevice(manager.getDevice()),
                    integration);
            NDArray logits = objective.logits(result);
            float crossEntropy = Losses.crossEntropy(logits, scope.create(batch.labels())).getFloat();
            long[] predicted = logits.argMax(1).toLongArray();
            return new Evaluation(crossEntropy, predicted, result.layerSpikes(), recurrentSums(result));
        }
    }

    private <R> R backward(SparseBatch batch, NoiseSource noise, InputPath path, IntegrationPath integration,
                           Function<Computed, R> read) {
        try (NDManager scope = batchScope()) {
            NDArray labels = scope.create(batch.labels());
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                ForwardResult result = network.forward(scope, batch, noise, path, integration);
                NDArray logits = objective.logits(result);
                NDArray loss = objective.loss(result, logits, labels, network.config());
                result.backward(collector, loss);
                return read.apply(new Computed(result, logits, loss, labels));
            }
        }
    }

    /** A batch's own manager, the parameters attached to it for the batch (results land there). */
    private NDManager batchScope() {
        NDManager scope = manager.newSubManager();
        scope.tempAttachAll(network.parameters().values().toArray(NDArray[]::new));
        return scope;
    }

    /**
     * ParaLIF's nb_spike_per_neuron_rec sums: one per ParaLIF layer (its buffer stays zero when
     * the layer is not recurrent, or feeds back relu), none for other neurons.
     */
    private double[] recurrentSums(ForwardResult result) {
        boolean paraLifLayers = network.config().neuron().family() == NeuronFamily.PARALIF
                && network.config().neuron().dynamics() == NeuronType.Dynamics.PARALLEL;
        if (!paraLifLayers) {
            return new double[0];
        }
        double[] sums = new double[network.config().nbLayers()];
        double[] recurrent = result.recurrentSpikes();
        System.arraycopy(recurrent, 0, sums, 0, recurrent.length);
        return sums;
    }

    private static int countCorrect(NDArray logits, NDArray labels) {
        NDArray predicted = logits.argMax(1);
        return (int) predicted.eq(labels).sum().getLong();
    }
}
