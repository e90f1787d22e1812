package spsn.train;

import java.util.List;

/**
 * How far an epoch has got: the next batch to train and the sums over the batches done, so that
 * an epoch stopped between two batches can be continued (and measured) as if never stopped.
 *
 * @param nextBatch index of the next batch to train (equal to {@code batches} when complete)
 * @param batches batches in the epoch (0 when not known yet)
 * @param lossSum sum of the batch losses so far
 * @param correct correct predictions so far
 * @param seen samples trained on so far
 * @param seconds training time spent on the epoch so far
 * @param spikeSums per firing layer, the sum over the batches so far of Σ_neurons rate (empty for
 *                  Non-Spiking, and in checkpoints written before it was kept)
 */
public record EpochProgress(int nextBatch, int batches, double lossSum, long correct, long seen, double seconds,
                            List<Double> spikeSums) {

    /** An epoch not started. */
    public static final EpochProgress START = new EpochProgress(0, 0, 0, 0, 0, 0, List.of());

    public EpochProgress {
        spikeSums = List.copyOf(spikeSums);
    }

    public boolean complete() {
        return batches > 0 && nextBatch == batches;
    }

    /** The epoch's measurements as the original reports them (loss sum / samples seen). */
    public EpochResult result() {
        if (!complete()) {
            throw new IllegalStateException("epoch stopped at batch " + nextBatch + " of " + batches);
        }
        List<Double> spikes = spikeSums.stream().map(sum -> sum / nextBatch).toList();
        return new EpochResult(lossSum / seen, (double) correct / seen, seconds, spikes);
    }
}
