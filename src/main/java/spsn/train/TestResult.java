package spsn.train;

import java.util.List;

/**
 * One pass over the test set.
 *
 * @param accuracy correct / samples
 * @param loss the mean cross-entropy per sample (no regulariser)
 * @param nbSpikes per firing layer, the mean over test batches of the summed neuron rates
 * @param recurrentSpikes the same for the recurrent states (ParaLIF's nb_spike_per_neuron_rec:
 *                        one per ParaLIF layer, 0 where not recurrent; empty for other neurons)
 * @param confusion counts, row = true class, column = predicted class
 * @param predictions the predicted class of every test sample, in file order
 * @param seconds wall time of the pass
 */
public record TestResult(double accuracy, double loss, List<Double> nbSpikes, List<Double> recurrentSpikes,
                         long[][] confusion, int[] predictions, double seconds) {

    public TestResult(double accuracy, double loss, List<Double> nbSpikes, long[][] confusion, int[] predictions,
                      double seconds) {
        this(accuracy, loss, nbSpikes, List.of(), confusion, predictions, seconds);
    }
}
