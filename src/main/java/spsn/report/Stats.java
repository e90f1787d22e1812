package spsn.report;

import java.util.List;
import java.util.Locale;

/**
 * Mean and sample standard deviation (n − 1 in the denominator) of one table cell.
 *
 * @param n number of values
 * @param mean their mean (NaN when n = 0)
 * @param std sample standard deviation (NaN when n &lt; 2)
 */
public record Stats(int n, double mean, double std) {

    public static Stats of(List<Double> values) {
        int n = values.size();
        if (n == 0) {
            return new Stats(0, Double.NaN, Double.NaN);
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / n;
        if (n == 1) {
            return new Stats(1, mean, Double.NaN);
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return new Stats(n, mean, Math.sqrt(squares / (n - 1)));
    }

    /** "mean ± std (n=k)", just "mean" for one value, "–" for none; {@code decimals} digits. */
    public String format(int decimals) {
        if (n == 0) {
            return "–";
        }
        String pattern = "%." + decimals + "f";
        String m = String.format(Locale.ROOT, pattern, mean);
        if (n == 1) {
            return m;
        }
        return m + " ± " + String.format(Locale.ROOT, pattern, std) + " (n=" + n + ")";
    }
}
