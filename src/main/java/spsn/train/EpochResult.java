package spsn.train;

import java.util.List;

/**
 * One training epoch, measured as the original does.
 *
 * @param loss sum of the batch mean losses divided by the samples seen (sic: the original's)
 * @param accuracy correct predictions / samples, from the same stochastic pass as the update
 * @param seconds wall time of the epoch
 * @param spikes per firing layer, the mean over the epoch's batches of Σ_neurons rate (nb_spikes'
 *               measure, on the training batches); empty for Non-Spiking
 */
public record EpochResult(double loss, double accuracy, double seconds, List<Double> spikes) {
}
