package spsn.data;

import java.lang.reflect.Array;
import java.math.BigInteger;

/**
 * Converts the arrays jhdf returns (their Java type follows the HDF5 type: float16/32 give
 * float[], uint16 gives int[], int16 gives short[], uint64 gives BigInteger[], ...) to the two
 * types the reader needs.
 * Returns null for anything that is not a one-dimensional numeric array.
 */
final class Hdf5Values {

    private Hdf5Values() {
    }

    /** Floats as double: exact for float16 and float32, which jhdf gives as float[]. */
    static double[] toDoubles(Object data) {
        if (data instanceof double[] d) {
            return d;
        }
        if (data instanceof float[] f) {
            double[] out = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                out[i] = f[i];
            }
            return out;
        }
        return null;
    }

    /** Integers as int; values beyond the int range saturate so range checks still reject them. */
    static int[] toInts(Object data) {
        if (data instanceof int[] i) {
            return i;
        }
        if (data instanceof short[] || data instanceof byte[] || data instanceof long[]) {
            int n = Array.getLength(data);
            int[] out = new int[n];
            for (int k = 0; k < n; k++) {
                long v = Array.getLong(data, k);
                out[k] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
            }
            return out;
        }
        if (data instanceof BigInteger[] big) { // uint64
            int[] out = new int[big.length];
            for (int k = 0; k < big.length; k++) {
                out[k] = big[k].bitLength() < 32 ? big[k].intValue() : Integer.MAX_VALUE;
            }
            return out;
        }
        return null;
    }

    /** Class names: strings as stored (jhdf gives String[] for fixed and variable strings). */
    static String[] toStrings(Object data) {
        if (data == null || !data.getClass().isArray() || data.getClass().getComponentType().isArray()) {
            return null;
        }
        int n = Array.getLength(data);
        String[] out = new String[n];
        for (int k = 0; k < n; k++) {
            out[k] = String.valueOf(Array.get(data, k)).trim();
        }
        return out;
    }
}
