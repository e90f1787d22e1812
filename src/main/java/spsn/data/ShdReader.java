package spsn.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfInvalidPathException;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.VariableLength;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import spsn.SpsnException;

/**
 * Reads one file in the SHD layout (Spiking Heidelberg Digits; SSC uses the same):
 * {@code /spikes/times} (one variable-length float16 or float32 array per sample, seconds),
 * {@code /spikes/units} (variable-length uint16, 0..channels-1: 700 for SHD and SSC), {@code /labels}
 * (uint16) and, if
 * present, {@code /extra/keys} (class names). Every sample is validated and binned as it is
 * read, by the given {@link BinningRule} in the arithmetic of the stored times' dtype (float16,
 * float32 or float64, from the file); spikes are kept sparse and sorted by bin.
 *
 * <p>Errors are {@link SpsnException#data} with one line naming the file and, for a bad
 * sample, its index.
 */
public final class ShdReader {

    /** Largest accepted bin (100 s at 1 ms). SHD samples last about 1 s; anything far longer is
     *  a corrupt time that would make the dense batch enormous. */
    public static final int MAX_BIN = 100_000;

    static final String TIMES = "/spikes/times";
    static final String UNITS = "/spikes/units";
    static final String LABELS = "/labels";
    static final String KEYS = "/extra/keys";
    /** Samples read per jhdf call: bounded memory, few calls (a full SHD split is ~70 M spikes). */
    private static final int SLICE = 256;

    static {
        // jhdf logs file opening at INFO; the command line should show only its own output.
        if (System.getProperty("org.slf4j.simpleLogger.log.io.jhdf") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.io.jhdf", "warn");
        }
        // jhdf warns that it does not verify Fletcher32 checksums: Hdf5Integrity verifies them.
        if (System.getProperty("org.slf4j.simpleLogger.log.io.jhdf.filter.FletcherChecksumFilter") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.io.jhdf.filter.FletcherChecksumFilter", "error");
        }
    }

    private ShdReader() {
    }

    /** Reads {@code file}, whose units must lie in 0..nbChannels-1 (the dataset's input channels). */
    public static SpikeDataset read(Path file, BinningRule rule, int nbChannels) {
        requireReadable(file);
        try (HdfFile hdf = new HdfFile(file)) {
            return read(file, hdf, rule, nbChannels);
        } catch (SpsnException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SpsnException.data(file + ": cannot read it as HDF5 (" + describe(e)
                    + "); the file may be truncated, still gzipped or not HDF5: download it again", e);
        }
    }

    /**
     * A file that exists, is a regular file and may be read, or a message saying which of these
     * fails (a link that cannot be followed is named as such, not as a missing file).
     */
    static void requireReadable(Path file) {
        if (!Files.exists(file)) {
            if (Files.isSymbolicLink(file)) {
                throw SpsnException.data(file + ": is a symbolic link that cannot be followed (" + linkProblem(file)
                        + "); point it at the .h5 file itself");
            }
            throw SpsnException.data(file + ": file not found");
        }
        if (!Files.isRegularFile(file)) {
            throw SpsnException.data(file + ": is not a regular file; expected an SHD-layout .h5 file");
        }
        if (!Files.isReadable(file)) {
            throw SpsnException.data(file + ": permission denied: this user may not read it; fix its permissions"
                    + " (chmod u+r, or ask its owner) or copy it somewhere readable");
        }
    }

    private static String linkProblem(Path link) {
        try {
            Path target = Files.readSymbolicLink(link);
            Path resolved = link.resolveSibling(target);
            if (Files.isSymbolicLink(resolved) || !Files.exists(resolved, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return Files.exists(resolved, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        ? "a loop of links, or too many: " + link + " -> " + target
                        : "its target " + target + " does not exist";
            }
            return "a loop of links: " + link + " -> " + target;
        } catch (java.io.IOException e) {
            return "it cannot be read";
        }
    }

    private static SpikeDataset read(Path file, HdfFile hdf, BinningRule rule, int nbChannels) {
        Dataset times = dataset(file, hdf, TIMES, true);
        TimeDtype dtype = timeDtype(file, times);
        Dataset units = dataset(file, hdf, UNITS, true);
        Dataset labels = dataset(file, hdf, LABELS, false);
        int n = times.getDimensions()[0];
        if (units.getDimensions()[0] != n || labels.getDimensions()[0] != n) {
            throw SpsnException.data(file + ": " + n + " samples in " + TIMES + ", "
                    + units.getDimensions()[0] + " in " + UNITS + " and " + labels.getDimensions()[0]
                    + " in " + LABELS + "; they must match: the file is damaged");
        }
        if (n == 0) {
            throw SpsnException.data(file + ": contains no samples (" + LABELS + " is empty)");
        }
        int[] labelValues = Hdf5Values.toInts(labels.getData());
        if (labelValues == null) {
            throw SpsnException.data(file + ": " + LABELS + " does not hold integers (it holds "
                    + labels.getJavaType().getSimpleName() + " values); labels must be class indices 0, 1, 2, ...");
        }
        List<String> classNames = classNames(file, hdf, labelValues);
        List<SpikeSample> samples = new ArrayList<>(n);
        for (int start = 0; start < n; start += SLICE) {
            int len = Math.min(SLICE, n - start);
            Object[] t = (Object[]) times.getData(new long[] {start}, new int[] {len});
            Object[] u = (Object[]) units.getData(new long[] {start}, new int[] {len});
            for (int j = 0; j < len; j++) {
                int index = start + j;
                samples.add(sample(file, index, t[j], u[j], labelValues[index], rule, dtype, nbChannels));
            }
        }
        return new SpikeDataset(file.toString(), List.copyOf(samples), nbChannels, classNames);
    }

    private static Dataset dataset(Path file, HdfFile hdf, String path, boolean variableLength) {
        Node node;
        try {
            node = hdf.getByPath(path);
        } catch (HdfInvalidPathException e) {
            throw SpsnException.data(file + ": dataset " + path + " is missing; expected the SHD layout ("
                    + TIMES + ", " + UNITS + ", " + LABELS + ")");
        }
        if (!(node instanceof Dataset ds)) {
            throw SpsnException.data(file + ": " + path + " is not a dataset; expected the SHD layout");
        }
        if (ds.getDimensions().length != 1 || ds.isVariableLength() != variableLength) {
            throw SpsnException.data(file + ": " + path + " must be a one-dimensional "
                    + (variableLength ? "variable-length array per sample" : "array of integers")
                    + ", found shape " + Arrays.toString(ds.getDimensions()));
        }
        Hdf5Integrity.check(file, ds);
        return ds;
    }

    /** The stored dtype of the times (jhdf hands float16 over as float, so ask the file). */
    private static TimeDtype timeDtype(Path file, Dataset times) {
        DataType type = times.getDataType();
        DataType element = type instanceof VariableLength vlen ? vlen.getParent() : type;
        TimeDtype dtype = element instanceof FloatingPoint ? TimeDtype.ofFloatBytes(element.getSize()) : null;
        if (dtype == null) {
            throw SpsnException.data(file + ": " + TIMES + " must hold float16, float32 or float64 seconds, found "
                    + (element instanceof FloatingPoint ? element.getSize() * 8 + "-bit floats"
                    : element.getClass().getSimpleName()));
        }
        return dtype;
    }

    /** Names from /extra/keys when present, otherwise "0".."max(label)". */
    private static List<String> classNames(Path file, HdfFile hdf, int[] labels) {
        Node keys;
        try {
            keys = hdf.getByPath(KEYS);
        } catch (HdfInvalidPathException e) {
            keys = null;
        }
        if (keys instanceof Dataset ds) {
            String[] names = ds.isEmpty() ? null : Hdf5Values.toStrings(ds.getData());
            if (names == null || names.length == 0) {
                throw SpsnException.data(file + ": " + KEYS + " must list the class names");
            }
            checkLabels(file, labels, names.length, " (" + KEYS + " names " + names.length + " classes)");
            return List.of(names);
        }
        int max = 0;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        checkLabels(file, labels, max + 1, "");
        List<String> names = new ArrayList<>(max + 1);
        for (int c = 0; c <= max; c++) {
            names.add(Integer.toString(c));
        }
        return List.copyOf(names);
    }

    private static void checkLabels(Path file, int[] labels, int nbClasses, String why) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= nbClasses) {
                throw SpsnException.data(file + ": sample " + i + ": label " + labels[i] + " is outside 0.."
                        + (nbClasses - 1) + why);
            }
        }
    }

    /** Validates and bins one sample; the times are dropped as soon as it returns. */
    private static SpikeSample sample(Path file, int index, Object timeData, Object unitData, int label,
                                      BinningRule rule, TimeDtype dtype, int nbChannels) {
        String where = file + ": sample " + index + ": ";
        double[] times = Hdf5Values.toDoubles(timeData);
        int[] units = Hdf5Values.toInts(unitData);
        if (times == null || units == null) {
            throw SpsnException.data(where + "spike times must be floats and units integers");
        }
        if (times.length != units.length) {
            throw SpsnException.data(where + times.length + " times but " + units.length
                    + " units; every spike needs both");
        }
        if (times.length == 0) {
            throw SpsnException.data(where + "has no spikes; an empty sample cannot be used");
        }
        int[] bins = new int[times.length];
        short[] channels = new short[times.length];
        DoubleUnaryOperator divide = rule.divider(dtype);
        for (int k = 0; k < times.length; k++) {
            double t = times[k];
            if (!(t >= 0) || Double.isInfinite(t)) {
                throw SpsnException.data(where + "time " + dtype.format(t) + " (spike " + k
                        + ") is not a finite number of seconds >= 0");
            }
            double quotient = divide.applyAsDouble(t);
            if (!Double.isFinite(quotient)) {
                throw SpsnException.data(where + "time " + dtype.format(t) + " s (spike " + k + ") divided by the "
                        + rule.windowSeconds() + " s bin width overflows " + dtype.numpyName()
                        + ", the file's type for times (numpy, as the original computes it, gives inf): "
                        + dtype.numpyName() + " times must stay below "
                        + formatSeconds(dtype.maxValue() * rule.window(dtype), 3) + " s");
            }
            long bin = rule.binOf(quotient);
            if (bin > MAX_BIN) {
                throw SpsnException.data(where + "time " + dtype.format(t) + " s (spike " + k + ") falls in bin " + bin
                        + ", beyond the limit of " + MAX_BIN + " bins (" + formatSeconds(MAX_BIN * rule.windowSeconds(), 6)
                        + " s of " + rule.windowSeconds() + " s bins); times must be in seconds");
            }
            int unit = units[k];
            if (unit < 0 || unit >= nbChannels) {
                throw SpsnException.data(where + "unit " + unit + " (spike " + k + ") is outside 0.."
                        + (nbChannels - 1) + "; the dataset has " + nbChannels + " input channels");
            }
            bins[k] = (int) bin;
            channels[k] = (short) unit;
        }
        SpikeSorter.sortByBin(bins, channels);
        return SpikeSample.of(bins, channels, label);
    }

    /** Seconds to {@code digits} significant digits, without trailing zeros ("100", "65.5"). */
    private static String formatSeconds(double seconds, int digits) {
        BigDecimal rounded = new BigDecimal(seconds).round(new MathContext(digits)).stripTrailingZeros();
        return rounded.abs().compareTo(BigDecimal.valueOf(1_000_000)) < 0 ? rounded.toPlainString() : rounded.toString();
    }

    private static String describe(Throwable e) {
        String msg = e.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = e.getClass().getSimpleName();
        }
        return msg.replaceAll("\\s+", " ").trim();
    }
}
