package spsn.train;

import java.util.ArrayList;
import java.util.List;

/** What a run has measured so far, epoch by epoch. */
public final class RunHistory {

    public final List<Double> lossHist = new ArrayList<>();
    public final List<Double> trainAccuracies = new ArrayList<>();
    public final List<Double> epochDurations = new ArrayList<>();
    public final List<Integer> testEveryEpochs = new ArrayList<>();
    public final List<Double> testAccuracyHist = new ArrayList<>();
    /** Validation accuracy and mean loss after each epoch; empty without a validation set. */
    public final List<Double> validAccuracies = new ArrayList<>();
    public final List<Double> validLossHist = new ArrayList<>();
    /** Per epoch, the training spikes per layer ({@link EpochResult#spikes}). */
    public final List<List<Double>> spikesHist = new ArrayList<>();

    public void addEpoch(EpochResult epoch) {
        lossHist.add(epoch.loss());
        trainAccuracies.add(epoch.accuracy());
        epochDurations.add(epoch.seconds());
        spikesHist.add(epoch.spikes());
    }

    public void addValidation(TestResult valid) {
        validAccuracies.add(valid.accuracy());
        validLossHist.add(valid.loss());
    }

    /**
     * The epoch (1-based) with the best validation accuracy, ties going to the lower validation
     * loss, then to the earlier epoch; 0 without validation.
     */
    public int bestValidEpoch() {
        int best = 0;
        for (int e = 1; e <= validAccuracies.size(); e++) {
            if (best == 0 || validAccuracies.get(e - 1) > validAccuracies.get(best - 1)
                    || validAccuracies.get(e - 1).equals(validAccuracies.get(best - 1))
                    && validLossHist.get(e - 1) < validLossHist.get(best - 1)) {
                best = e;
            }
        }
        return best;
    }

    public int epochsDone() {
        return lossHist.size();
    }

    /** The original's train_duration: total training time / epochs. */
    public double secondsPerEpoch() {
        return epochDurations.isEmpty() ? 0 : epochDurations.stream().mapToDouble(Double::doubleValue).sum()
                / epochDurations.size();
    }
}
