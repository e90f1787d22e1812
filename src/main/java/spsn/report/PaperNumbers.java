package spsn.report;

import java.util.List;
import java.util.OptionalDouble;

/**
 * The published results (seed README / REFERENCE.md): SHD test accuracy in percent and seconds
 * per training epoch on a GPU, seed 0, 200 epochs, for the paper's four neurons.
 */
public final class PaperNumbers {

    /** The paper's neurons, in the order of its table rows. */
    public static final List<String> NEURONS = List.of("LIF", "SPSN-SB", "SPSN-GS", "Non-Spiking");

    /** The dataset the paper's numbers were measured on (value of PARAMS.dataset). */
    public static final String DATASET = "heidelberg";

    // Rows follow NEURONS, columns follow Configuration.COLUMNS; NaN = the paper has no run.
    private static final double[][] ACCURACY = {
        {71.37, 83.03, Double.NaN},
        {77.16, 86.08, 89.70},
        {75.66, 86.08, 89.39},
        {71.82, 66.07, Double.NaN},
    };
    private static final double[][] SECONDS_PER_EPOCH = {
        {252.2, 261.7, Double.NaN},
        {5.5, 10.7, 10.7},
        {6.8, 12.2, 12.2},
        {1.5, 6.7, Double.NaN},
    };

    private PaperNumbers() {
    }

    /** Test accuracy (%) the paper reports for this cell, if any. */
    public static OptionalDouble accuracy(String neuron, Configuration config) {
        return lookup(ACCURACY, neuron, config);
    }

    /** Seconds per epoch the paper reports for this cell, if any. */
    public static OptionalDouble secondsPerEpoch(String neuron, Configuration config) {
        return lookup(SECONDS_PER_EPOCH, neuron, config);
    }

    private static OptionalDouble lookup(double[][] table, String neuron, Configuration config) {
        int row = NEURONS.indexOf(neuron);
        int col = List.of(Configuration.COLUMNS).indexOf(config);
        if (row < 0 || col < 0 || Double.isNaN(table[row][col])) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(table[row][col]);
    }
}
