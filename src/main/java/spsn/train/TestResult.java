package spsn.train;

import java.util.List;

/**
 * One pass over the test set.
 *
 * @param accuracy correct / samples
 * @param nbSpikes per firing layer, the mean over test batches of the summed neuron rates
 * @param confusion counts, row = true class, column = predicted class
 * @param predictions the predicted class of every test sample, in file order
 * @param seconds wall time of the pass
 */
public record TestResult(double accuracy, List<Double> nbSpikes, long[][] confusion, int[] predictions,
                         double seconds) {
}
