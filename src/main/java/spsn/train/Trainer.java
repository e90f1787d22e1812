package spsn.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import spsn.data.Augmenter;
import spsn.data.BatchAssembler;
import spsn.data.BatchOrder;
import spsn.data.SparseBatch;
import spsn.data.SpikeDataset;
import spsn.data.SpikeSample;
import spsn.model.ForwardResult;
import spsn.model.Network;
import spsn.model.NeuronFamily;
import spsn.model.NeuronType;
import spsn.neuron.NoiseSource;
import spsn.progress.ProgressDisplay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Trains and tests a network batch by batch. Every batch runs in its own NDManager scope with
 * the parameters temporarily attached, so all of its native memory is freed when it ends.
 */
public final class Trainer {

    private final Network network;
    private final Adamax optimizer;
    private final NDManager manager;
    private final LossMode lossMode;
    private final double regThr;
    private final double regThrR;
    private final LearningRateSchedule schedule;

    public Trainer(Network network, Adamax optimizer, NDManager manager, LossMode lossMode, double regThr) {
        this(network, optimizer, manager, lossMode, regThr, 0, null);
    }

    /**
     * With ParaLIF's regulariser of recurrent rates ({@code regThrR} &gt; 0) and a learning-rate
     * schedule over epochs (null: the optimizer's rate throughout).
     */
    public Trainer(Network network, Adamax optimizer, NDManager manager, LossMode lossMode, double regThr,
                   double regThrR, LearningRateSchedule schedule) {
        this.network = network;
        this.optimizer = optimizer;
        this.manager = manager;
        this.lossMode = lossMode;
        this.regThr = regThr;
        this.regThrR = regThrR;
        this.schedule = schedule;
    }

    /** The learning rate of epoch {@code epoch} (0-based): the schedule's, or the optimizer's constant one. */
    public double learningRate(int epoch) {
        return schedule != null ? schedule.rate(epoch) : optimizer.learningRate();
    }

    /**
     * One epoch over {@code train} in the order {@code order} gives for {@code epoch}; the neuron
     * noise and augmentation are reseeded from {@code seed}, the epoch and the batch, so any
     * batch can be replayed exactly.
     */
    public EpochResult trainEpoch(SpikeDataset train, BatchOrder order, int epoch, Augmenter augmenter, long seed,
                                  ProgressDisplay display, String task) {
        return trainEpoch(train, order, epoch, augmenter, seed, display, task, EpochProgress.START, () -> false)
                .result();
    }

    /**
     * Continues epoch {@code epoch} from {@code from} (its first batch for {@link EpochProgress#START}).
     * After each batch's update it asks {@code stop}; when that says yes and batches remain, it
     * returns the progress so far (not complete), from which a later call continues exactly:
     * every batch's randomness depends only on (seed, epoch, batch).
     *
     * @throws NonFiniteLossException when a batch's loss is NaN or infinite (before its update)
     */
    public EpochProgress trainEpoch(SpikeDataset train, BatchOrder order, int epoch, Augmenter augmenter, long seed,
                                    ProgressDisplay display, String task, EpochProgress from, BooleanSupplier stop) {
        long start = System.nanoTime();
        if (schedule != null) {
            // a function of the epoch alone, so that a resumed run continues with the same rates
            optimizer.setLearningRate(schedule.rate(epoch));
        }
        List<int[]> batches = order.batches(epoch);
        double lossSum = from.lossSum();
        long correct = from.correct();
        long seen = from.seen();
        int next = from.nextBatch();
        double[] spikeSums = from.spikeSums().stream().mapToDouble(Double::doubleValue).toArray();
        // an epoch resumed from a checkpoint that did not keep them has no spike counts
        boolean countSpikes = next == 0 || spikeSums.length > 0;
        try (ProgressDisplay.Bar progress = display.bar(task, "batch", batches.size(), next, false)) {
            while (next < batches.size()) {
                long index = ((long) epoch << 32) | next;
                NoiseSource noise = NoiseSource.keyed(Seeds.derive(seed, Seeds.NOISE, index), manager.getDevice());
                SplittableRandom augmentRandom = new SplittableRandom(Seeds.derive(seed, Seeds.AUGMENT, index));
                int[] indices = batches.get(next);
                List<SpikeSample> samples = new ArrayList<>(indices.length);
                for (int i : indices) {
                    SpikeSample sample = train.get(i);
                    samples.add(augmenter == null ? sample : augmenter.augment(sample, train.nbChannels(), augmentRandom));
                }
                BatchStats stats = trainBatch(BatchAssembler.assembleSparse(samples, train.nbChannels()), noise);
                if (!Float.isFinite(stats.loss())) {
                    throw new NonFiniteLossException(epoch, next, batches.size(), stats.loss());
                }
                optimizer.step(network.parameters());
                lossSum += stats.loss();
                if (countSpikes && spikeSums.length == 0) {
                    spikeSums = new double[stats.spikes().length];
                }
                for (int layer = 0; layer < spikeSums.length; layer++) {
                    spikeSums[layer] += stats.spikes()[layer];
                }
                correct += stats.correct();
                seen += indices.length;
                next++;
                progress.step(String.format(Locale.ROOT, "loss=%.4f, acc=%.3f", lossSum / seen, (double) correct / seen));
                if (next < batches.size() && stop.getAsBoolean()) {
                    break;
                }
            }
        }
        double seconds = from.seconds() + (System.nanoTime() - start) / 1e9;
        return new EpochProgress(next, batches.size(), lossSum, correct, seen, seconds,
                Arrays.stream(spikeSums).boxed().toList());
    }

    private BatchStats trainBatch(SparseBatch batch, NoiseSource noise) {
        try (NDManager scope = manager.newSubManager()) {
            scope.tempAttachAll(network.parameters().values().toArray(NDArray[]::new));
            NDArray labels = scope.create(batch.labels());
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                ForwardResult result = network.forward(scope, batch, noise);
                NDArray logits = Losses.logits(result, lossMode);
                NDArray loss = Losses.crossEntropy(logits, labels);
                if (regThr > 0) {
                    loss = loss.add(Losses.rateRegularizer(result.rates(), regThr));
                }
                if (regThrR > 0) {
                    long neurons = (long) network.config().nbLayers() * network.config().hiddenSize();
                    loss = loss.add(Losses.recurrentRateRegularizer(result.recurrentRates(), regThrR, neurons, loss));
                }
                result.backward(collector, loss);
                return new BatchStats(loss.getFloat(), countCorrect(logits, labels), layerSpikes(result));
            }
        }
    }

    /** One pass over {@code test} in file order, with the same stochastic neurons as training. */
    public TestResult test(SpikeDataset test, int batchSize, long seed, ProgressDisplay display, boolean keepBar) {
        return test(test, batchSize, seed, display, keepBar, "Test");
    }

    /**
     * {@link #test(SpikeDataset, int, long, ProgressDisplay, boolean)} over {@code test} or a
     * validation set, with {@code task} naming the progress bar.
     */
    public TestResult test(SpikeDataset test, int batchSize, long seed, ProgressDisplay display, boolean keepBar,
            String task) {
        long start = System.nanoTime();
        NoiseSource noise = NoiseSource.keyed(Seeds.derive(seed, Seeds.TEST_NOISE, 0), manager.getDevice());
        int classes = network.config().nbClasses();
        long[][] confusion = new long[classes][classes];
        int[] predictions = new int[test.size()];
        List<double[]> layerSpikes = new ArrayList<>();
        List<double[]> recurrentSpikes = new ArrayList<>();
        long correct = 0;
        double lossSum = 0;
        long seen = 0;
        BatchOrder order = new BatchOrder(test.size(), batchSize, false, 0);
        try (ProgressDisplay.Bar progress = display.bar(task, "batch", order.batchCount(), 0, keepBar)) {
            for (int[] indices : order.batches(0)) {
                List<SpikeSample> samples = new ArrayList<>(indices.length);
                for (int i : indices) {
                    samples.add(test.get(i));
                }
                SparseBatch batch = BatchAssembler.assembleSparse(samples, test.nbChannels());
                try (NDManager scope = manager.newSubManager()) {
                    scope.tempAttachAll(network.parameters().values().toArray(NDArray[]::new));
                    ForwardResult result = network.forward(scope, batch, noise);
                    NDArray logits = Losses.logits(result, lossMode);
                    lossSum += Losses.crossEntropy(logits, scope.create(batch.labels())).getFloat() * indices.length;
                    long[] predicted = logits.argMax(1).toLongArray();
                    for (int b = 0; b < predicted.length; b++) {
                        int truth = (int) batch.labels()[b];
                        confusion[truth][(int) predicted[b]]++;
                        predictions[indices[b]] = (int) predicted[b];
                        correct += truth == predicted[b] ? 1 : 0;
                    }
                    layerSpikes.add(layerSpikes(result));
                    recurrentSpikes.add(recurrentSums(result));
                }
                seen += indices.length;
                progress.step(String.format(Locale.ROOT, "acc=%.3f", (double) correct / seen));
            }
        }
        return new TestResult((double) correct / test.size(), lossSum / test.size(), meanPerLayer(layerSpikes),
                meanPerLayer(recurrentSpikes), confusion, predictions, (System.nanoTime() - start) / 1e9);
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
        List<NDArray> rates = result.recurrentRates();
        for (int layer = 0; layer < rates.size(); layer++) {
            sums[layer] = rates.get(layer).sum().getFloat();
        }
        return sums;
    }

    /** Per firing layer, Σ_neurons rate: the original's spike count of one batch. */
    private static double[] layerSpikes(ForwardResult result) {
        double[] sums = new double[result.rates().size()];
        for (int layer = 0; layer < sums.length; layer++) {
            sums[layer] = result.rates().get(layer).sum().getFloat();
        }
        return sums;
    }

    private static List<Double> meanPerLayer(List<double[]> perBatch) {
        List<Double> means = new ArrayList<>();
        int layers = perBatch.isEmpty() ? 0 : perBatch.get(0).length;
        for (int layer = 0; layer < layers; layer++) {
            double sum = 0;
            for (double[] batch : perBatch) {
                sum += batch[layer];
            }
            means.add(sum / perBatch.size());
        }
        return means;
    }

    private static int countCorrect(NDArray logits, NDArray labels) {
        NDArray predicted = logits.argMax(1);
        return (int) predicted.eq(labels).sum().getLong();
    }

    private record BatchStats(float loss, int correct, double[] spikes) {
    }
}
