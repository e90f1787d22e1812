package spsn.train;

/**
 * One training epoch, measured as the original does.
 *
 * @param loss sum of the batch mean losses divided by the samples seen (sic: the original's)
 * @param accuracy correct predictions / samples, from the same stochastic pass as the update
 * @param seconds wall time of the epoch
 */
public record EpochResult(double loss, double accuracy, double seconds) {
}
