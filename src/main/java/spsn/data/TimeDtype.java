package spsn.data;

import java.util.Locale;

/**
 * The numpy dtype a file stores its spike times in. It decides the arithmetic of binning (numpy
 * divides a float16 array in float16, a float32 array in float32: see {@link BinningRule}), so
 * the reader takes it from the file (jhdf converts float16 to float when reading) instead of
 * assuming one.
 */
public enum TimeDtype {
    FLOAT16,
    FLOAT32,
    FLOAT64;

    /** The type of an HDF5 floating-point type of {@code bytes} bytes, or null for another size. */
    public static TimeDtype ofFloatBytes(int bytes) {
        return switch (bytes) {
            case 2 -> FLOAT16;
            case 4 -> FLOAT32;
            case 8 -> FLOAT64;
            default -> null;
        };
    }

    /** Largest finite value of the type. */
    public double maxValue() {
        return switch (this) {
            case FLOAT16 -> Float16.MAX_VALUE;
            case FLOAT32 -> Float.MAX_VALUE;
            case FLOAT64 -> Double.MAX_VALUE;
        };
    }

    /** numpy's name of the type. */
    public String numpyName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A stored value as text: the shortest form that reads back as the same value of this type. */
    public String format(double value) {
        return this == FLOAT64 ? Double.toString(value) : Float.toString((float) value);
    }
}
