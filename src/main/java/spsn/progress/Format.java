package spsn.progress;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Numbers and durations as tqdm and a reader of logs expect them. */
public final class Format {

    private Format() {
    }

    /** tqdm's clock: {@code 03:07}, or {@code 1:02:03} from one hour on. */
    public static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        long h = s / 3600;
        long m = s / 60 % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", m, s % 60);
    }

    /**
     * Items per second with the unit, or seconds per item when slower than one a second (as tqdm
     * does): {@code 4.1 batch/s}, {@code 2.3 s/batch}; {@code ? batch/s} before the first.
     */
    public static String rate(long done, double seconds, String unit) {
        if (done <= 0 || seconds <= 0) {
            return "? " + unit + "/s";
        }
        double perSecond = done / seconds;
        return perSecond >= 1 ? String.format(Locale.ROOT, "%.1f %s/s", perSecond, unit)
                : String.format(Locale.ROOT, "%.1f s/%s", 1 / perSecond, unit);
    }

    /** Three significant digits without an exponent: 12.3, 0.0457, 1230. */
    public static String significant(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        if (value == 0) {
            return "0";
        }
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** Spike counts per layer: {@code [12.3, 4.56, 7.89]}. */
    public static String spikes(List<Double> perLayer) {
        return perLayer.stream().map(Format::significant).collect(Collectors.joining(", ", "[", "]"));
    }
}
