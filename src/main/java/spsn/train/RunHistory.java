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
    /** Per epoch, the training spikes per layer ({@link EpochResult#spikes}). */
    public final List<List<Double>> spikesHist = new ArrayList<>();

    public void addEpoch(EpochResult epoch) {
        lossHist.add(epoch.loss());
        trainAccuracies.add(epoch.accuracy());
        epochDurations.add(epoch.seconds());
        spikesHist.add(epoch.spikes());
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
