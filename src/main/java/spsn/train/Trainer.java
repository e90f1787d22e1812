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
import spsn.neuron.NoiseSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

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
    private final NoiseSource noise;

    public Trainer(Network network, Adamax optimizer, NDManager manager, LossMode lossMode, double regThr,
                   NoiseSource noise) {
        this.network = network;
        this.optimizer = optimizer;
        this.manager = manager;
        this.lossMode = lossMode;
        this.regThr = regThr;
        this.noise = noise;
    }

    /**
     * One epoch over {@code train} in the order {@code order} gives for {@code epoch}; the neuron
     * noise and augmentation are reseeded from {@code seed} and the epoch, so an epoch can be
     * replayed exactly.
     */
    public EpochResult trainEpoch(SpikeDataset train, BatchOrder order, int epoch, Augmenter augmenter, long seed,
                                  boolean showProgress, String task) {
        long start = System.nanoTime();
        Engine.getInstance().setRandomSeed(Seeds.engineSeed(seed, Seeds.NOISE, epoch));
        SplittableRandom augmentRandom = new SplittableRandom(Seeds.derive(seed, Seeds.AUGMENT, epoch));
        List<int[]> batches = order.batches(epoch);
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        try (Progress progress = Progress.start(showProgress, task, batches.size())) {
            for (int[] indices : batches) {
                List<SpikeSample> samples = new ArrayList<>(indices.length);
                for (int i : indices) {
                    SpikeSample sample = train.get(i);
                    samples.add(augmenter == null ? sample : augmenter.augment(sample, augmentRandom));
                }
                BatchStats stats = trainBatch(BatchAssembler.assembleSparse(samples, train.nbChannels()));
                checkFinite(stats.loss(), epoch);
                optimizer.step(network.parameters());
                lossSum += stats.loss();
                correct += stats.correct();
                seen += indices.length;
                progress.step(String.format("loss=%.4f acc=%.3f", lossSum / seen, (double) correct / seen));
            }
        }
        return new EpochResult(lossSum / seen, (double) correct / seen, (System.nanoTime() - start) / 1e9);
    }

    private BatchStats trainBatch(SparseBatch batch) {
        try (NDManager scope = manager.newSubManager()) {
            scope.tempAttachAll(network.parameters().values().toArray(NDArray[]::new));
            NDArray x = BatchTensors.sparseInput(scope, batch);
            NDArray labels = BatchTensors.labels(scope, batch);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                ForwardResult result = network.forwardSparse(x, batch.batchSize(), batch.steps(), noise);
                NDArray loss = Losses.crossEntropy(result.output(), labels, lossMode);
                if (regThr > 0) {
                    loss = loss.add(Losses.rateRegularizer(result.rates(), regThr));
                }
                collector.backward(loss);
                return new BatchStats(loss.getFloat(), countCorrect(result.output(), labels));
            }
        }
    }

    /** One pass over {@code test} in file order, with the same stochastic neurons as training. */
    public TestResult test(SpikeDataset test, int batchSize, long seed, boolean showProgress) {
        long start = System.nanoTime();
        Engine.getInstance().setRandomSeed(Seeds.engineSeed(seed, Seeds.TEST_NOISE, 0));
        int classes = network.config().nbClasses();
        long[][] confusion = new long[classes][classes];
        List<double[]> layerSpikes = new ArrayList<>();
        long correct = 0;
        BatchOrder order = new BatchOrder(test.size(), batchSize, false, 0);
        try (Progress progress = Progress.start(showProgress, "Test", order.batchCount())) {
            for (int[] indices : order.batches(0)) {
                List<SpikeSample> samples = new ArrayList<>(indices.length);
                for (int i : indices) {
                    samples.add(test.get(i));
                }
                SparseBatch batch = BatchAssembler.assembleSparse(samples, test.nbChannels());
                try (NDManager scope = manager.newSubManager()) {
                    scope.tempAttachAll(network.parameters().values().toArray(NDArray[]::new));
                    ForwardResult result = network.forwardSparse(BatchTensors.sparseInput(scope, batch),
                            batch.batchSize(), batch.steps(), noise);
                    long[] predicted = Losses.reduceOverTime(result.output(), lossMode).argMax(1).toLongArray();
                    for (int b = 0; b < predicted.length; b++) {
                        int truth = (int) batch.labels()[b];
                        confusion[truth][(int) predicted[b]]++;
                        correct += truth == predicted[b] ? 1 : 0;
                    }
                    double[] sums = new double[result.rates().size()];
                    for (int layer = 0; layer < sums.length; layer++) {
                        sums[layer] = result.rates().get(layer).sum().getFloat();
                    }
                    layerSpikes.add(sums);
                }
                progress.step(String.format("acc=%.3f", (double) correct / test.size()));
            }
        }
        return new TestResult((double) correct / test.size(), meanPerLayer(layerSpikes), confusion,
                (System.nanoTime() - start) / 1e9);
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

    private int countCorrect(NDArray output, NDArray labels) {
        NDArray predicted = Losses.reduceOverTime(output, lossMode).argMax(1);
        return (int) predicted.eq(labels).sum().getLong();
    }

    private static void checkFinite(float loss, int epoch) {
        if (!Float.isFinite(loss)) {
            throw new NonFiniteLossException(epoch, loss);
        }
    }

    private record BatchStats(float loss, int correct) {
    }
}
