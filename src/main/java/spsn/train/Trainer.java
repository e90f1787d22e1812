package spsn.train;

import ai.djl.ndarray.NDManager;
import spsn.data.Augmenter;
import spsn.data.BatchAssembler;
import spsn.data.BatchOrder;
import spsn.data.SparseBatch;
import spsn.data.SpikeDataset;
import spsn.data.SpikeSample;
import spsn.model.Network;
import spsn.neuron.NoiseSource;
import spsn.progress.ProgressDisplay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Trains and tests a network over data sets: batch order, per-batch randomness (reseeded from
 * the run's seed, the epoch and the batch), sums and progress. Each batch is one
 * {@link TrainStep}, which owns everything the batch itself does.
 */
public final class Trainer {

    private final TrainStep step;

    public Trainer(TrainStep step) {
        this.step = step;
    }

    public Trainer(Network network, Adamax optimizer, NDManager manager, LossMode lossMode, double regThr) {
        this(network, optimizer, manager, lossMode, regThr, 0, null);
    }

    /**
     * With ParaLIF's regulariser of recurrent rates ({@code regThrR} &gt; 0) and a learning-rate
     * schedule over epochs (null: the optimizer's rate throughout).
     */
    public Trainer(Network network, Adamax optimizer, NDManager manager, LossMode lossMode, double regThr,
                   double regThrR, LearningRateSchedule schedule) {
        this(new TrainStep(network, optimizer, manager, new Objective(lossMode, regThr, regThrR), schedule));
    }

    /** The learning rate of epoch {@code epoch} (0-based): the schedule's, or the optimizer's constant one. */
    public double learningRate(int epoch) {
        return step.learningRate(epoch);
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
                NoiseSource noise = step.noise(Seeds.derive(seed, Seeds.NOISE, index));
                SplittableRandom augmentRandom = new SplittableRandom(Seeds.derive(seed, Seeds.AUGMENT, index));
                int[] indices = batches.get(next);
                List<SpikeSample> samples = new ArrayList<>(indices.length);
                for (int i : indices) {
                    SpikeSample sample = train.get(i);
                    samples.add(augmenter == null ? sample : augmenter.augment(sample, train.nbChannels(), augmentRandom));
                }
                TrainStep.Update stats = step.train(BatchAssembler.assembleSparse(samples, train.nbChannels()), noise,
                        epoch);
                if (!Float.isFinite(stats.loss())) {
                    throw new NonFiniteLossException(epoch, next, batches.size(), stats.loss());
                }
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
        NoiseSource noise = step.noise(Seeds.derive(seed, Seeds.TEST_NOISE, 0));
        int classes = step.network().config().nbClasses();
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
                TrainStep.Evaluation evaluation = step.evaluate(batch, noise);
                lossSum += evaluation.crossEntropy() * indices.length;
                long[] predicted = evaluation.predictions();
                for (int b = 0; b < predicted.length; b++) {
                    int truth = (int) batch.labels()[b];
                    confusion[truth][(int) predicted[b]]++;
                    predictions[indices[b]] = (int) predicted[b];
                    correct += truth == predicted[b] ? 1 : 0;
                }
                layerSpikes.add(evaluation.spikes());
                recurrentSpikes.add(evaluation.recurrentSpikes());
                seen += indices.length;
                progress.step(String.format(Locale.ROOT, "acc=%.3f", (double) correct / seen));
            }
        }
        return new TestResult((double) correct / test.size(), lossSum / test.size(), meanPerLayer(layerSpikes),
                meanPerLayer(recurrentSpikes), confusion, predictions, (System.nanoTime() - start) / 1e9);
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
}
