package spsn.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One reference .npz written by tools/reference/make_fixtures.py, read with DJL (which names
 * each array after its npz key). Arrays live in a sub-manager closed with the fixture.
 */
final class Fixture implements AutoCloseable {

    private final String name;
    private final NDManager manager;
    private final Map<String, NDArray> arrays = new LinkedHashMap<>();

    private Fixture(String name, NDManager manager) {
        this.name = name;
        this.manager = manager;
    }

    static Fixture load(NDManager parent, String file) {
        Fixture fixture = new Fixture(file, parent.newSubManager());
        try (InputStream raw = Fixture.class.getResourceAsStream("/reference/" + file)) {
            if (raw == null) {
                throw new IllegalStateException("missing test resource reference/" + file
                        + ": run /usr/bin/python3 tools/reference/make_fixtures.py");
            }
            for (NDArray array : NDList.decode(fixture.manager, new BufferedInputStream(raw))) {
                fixture.arrays.put(array.getName(), array);
            }
        } catch (IOException e) {
            fixture.close();
            throw new UncheckedIOException("cannot read reference/" + file, e);
        }
        return fixture;
    }

    NDManager manager() {
        return manager;
    }

    /** The array as stored (float16, uint8, bool, int64, float32 or float64). */
    NDArray raw(String key) {
        NDArray array = arrays.get(key);
        if (array == null) {
            throw new IllegalArgumentException(name + " has no array '" + key + "'; it has " + arrays.keySet());
        }
        return array;
    }

    /** The array converted to float32 (exact for the float16 and uint8 arrays we store). */
    NDArray f32(String key) {
        NDArray array = raw(key);
        return array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
    }

    /** A noise array: float32 as stored, or uint8 codes k meaning u = (k + 0.5) / 256. */
    NDArray noise(String key) {
        NDArray array = raw(key);
        if (array.getDataType() != DataType.UINT8) {
            return f32(key);
        }
        return array.toType(DataType.FLOAT32, false).add(0.5f).div(256f);
    }

    /** A float32 copy of the array owned by {@code owner}, so that results land there. */
    NDArray copy(NDManager owner, String key) {
        NDArray array = f32(key);
        return owner.create(array.toFloatArray(), array.getShape());
    }

    /** A float32 copy of a noise array owned by {@code owner}. */
    NDArray noiseCopy(NDManager owner, String key) {
        NDArray array = noise(key);
        return owner.create(array.toFloatArray(), array.getShape());
    }

    double[] doubles(String key) {
        return raw(key).toType(DataType.FLOAT64, false).toDoubleArray();
    }

    double scalar(String key) {
        double[] values = doubles(key);
        if (values.length != 1) {
            throw new IllegalArgumentException(name + ":" + key + " is not a scalar");
        }
        return values[0];
    }

    long longScalar(String key) {
        return raw(key).toType(DataType.INT64, false).toLongArray()[0];
    }

    boolean[] booleans(String key) {
        return raw(key).toBooleanArray();
    }

    boolean has(String key) {
        return arrays.containsKey(key);
    }

    /** Keys with this prefix, prefix removed, in file order. */
    List<String> suffixes(String prefix) {
        List<String> out = new ArrayList<>();
        for (String key : arrays.keySet()) {
            if (key.startsWith(prefix)) {
                out.add(key.substring(prefix.length()));
            }
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
