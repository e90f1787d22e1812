package spsn.train;

import spsn.io.AtomicFiles;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/**
 * The per-epoch metrics as CSV, {@code metrics_<neuron>_<id>.csv} beside the results file, for
 * pandas ({@code pd.read_csv}), a spreadsheet or gnuplot as they are: one header row, one row
 * per epoch, plain numbers, an empty cell where nothing was measured (pandas reads NaN).
 *
 * <p>Columns: epoch (1-based), loss, train_accuracy (fractions as in the results file),
 * test_accuracy (after the epochs where the test set was evaluated: every --test_every epochs
 * and the last), with a validation set valid_accuracy and valid_loss (after every epoch),
 * seconds (the epoch's training time), learning_rate (the epoch's: ParaLIF's
 * neurons follow a schedule), then spikes_layer_1 ...
 * (training spikes per firing layer, nb_spikes' measure on the epoch's batches; none for
 * Non-Spiking).
 *
 * <p>The file is rewritten whole from the run's history after every epoch, atomically: an
 * interrupted run keeps every epoch it finished, and a resumed run, whose checkpoint holds that
 * history, continues it exactly.
 */
final class MetricsFile {

    private MetricsFile() {
    }

    /**
     * Writes (or replaces) {@code file}.
     *
     * @param finalTest the last epoch's test accuracy when it is not in the history (no
     *                  --test_every), or null
     */
    static void write(Path file, RunHistory history, IntToDoubleFunction learningRate, Double finalTest) {
        AtomicFiles.writeString(file, render(history, learningRate, finalTest));
    }

    static String render(RunHistory history, IntToDoubleFunction learningRate, Double finalTest) {
        int epochs = history.epochsDone();
        int layers = history.spikesHist.stream().mapToInt(List::size).max().orElse(0);
        Map<Integer, Double> tests = new HashMap<>();
        for (int i = 0; i < history.testEveryEpochs.size(); i++) {
            tests.put(history.testEveryEpochs.get(i), history.testAccuracyHist.get(i));
        }
        if (finalTest != null && epochs > 0) {
            tests.put(epochs, finalTest);
        }
        boolean validated = !history.validAccuracies.isEmpty();
        StringBuilder csv = new StringBuilder("epoch,loss,train_accuracy,test_accuracy");
        csv.append(validated ? ",valid_accuracy,valid_loss" : "").append(",seconds,learning_rate");
        for (int layer = 1; layer <= layers; layer++) {
            csv.append(",spikes_layer_").append(layer);
        }
        csv.append('\n');
        for (int e = 0; e < epochs; e++) {
            csv.append(e + 1).append(',').append(number(history.lossHist.get(e)))
                    .append(',').append(number(history.trainAccuracies.get(e)))
                    .append(',').append(tests.containsKey(e + 1) ? number(tests.get(e + 1)) : "");
            if (validated) {
                csv.append(',').append(e < history.validAccuracies.size() ? number(history.validAccuracies.get(e)) : "")
                        .append(',').append(e < history.validLossHist.size() ? number(history.validLossHist.get(e)) : "");
            }
            csv.append(',').append(number(history.epochDurations.get(e)))
                    // the optimizer's float, printed as such (0.001, not 0.0010000000474974513)
                    .append(',').append(Float.toString((float) learningRate.applyAsDouble(e)));
            List<Double> spikes = history.spikesHist.size() > e ? history.spikesHist.get(e) : List.of();
            for (int layer = 0; layer < layers; layer++) {
                csv.append(',').append(layer < spikes.size() ? number(spikes.get(layer)) : "");
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    /** Shortest text that reads back as the same double; NaN and infinities as empty cells. */
    private static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }
}
