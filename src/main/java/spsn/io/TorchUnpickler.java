package spsn.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;
import net.razorvine.pickle.objects.ClassDict;
import net.razorvine.pickle.objects.ClassDictConstructor;

/**
 * Unpickles the {@code data.pkl} of a torch.save zip archive with razorvine's Unpickler. Tensors
 * come out as {@link TensorSpec}s that point into storages; the caller reads the storages from
 * the archive. Nothing from the file is executed: unknown globals become inert ClassDicts.
 *
 * <p>razorvine keeps its constructor registry in a static map, so the torch constructors are
 * registered once for the whole JVM; they only build the value types below.
 */
final class TorchUnpickler extends Unpickler {

    /** A {@code torch.*Storage} reference: the persistent id ('storage', type, key, location, numel). */
    record StorageRef(String typeName, TorchStorageType type, String key, long numel) {
    }

    /** What {@code torch._utils._rebuild_tensor_v2} would build: a strided view of a storage. */
    record TensorSpec(StorageRef storage, long offset, long[] shape, long[] stride) {
    }

    /** A {@code collections.OrderedDict}; SETITEMS below keeps the pickled order. */
    static final class PyOrderedDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;
    }

    static {
        registerConstructor("collections", "OrderedDict", TorchUnpickler::orderedDict);
        registerConstructor("torch._utils", "_rebuild_tensor_v2", TorchUnpickler::rebuildTensor);
        // Parameters (state_dict(keep_vars=True)) wrap a tensor; the data is all we need.
        IObjectConstructor parameter = args -> argument(args, 0, "_rebuild_parameter");
        registerConstructor("torch._utils", "_rebuild_parameter", parameter);
        registerConstructor("torch._utils", "_rebuild_parameter_with_state", parameter);
    }

    @Override
    protected Object dispatch(short key) throws java.io.IOException {
        if (key == Opcodes.SETITEMS) {
            // razorvine collects SETITEMS pairs in a HashMap, losing the state_dict's key order.
            List<Object> items = stack.pop_all_since_marker();
            @SuppressWarnings("unchecked")
            Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
            for (int i = 0; i + 1 < items.size(); i += 2) {
                dict.put(items.get(i), items.get(i + 1));
            }
            return NO_RETURN_VALUE;
        }
        if (key == Opcodes.BUILD) {
            Object state = stack.pop();
            if (stack.peek() instanceof PyOrderedDict) {
                return NO_RETURN_VALUE; // the state_dict's _metadata attribute: not needed
            }
            stack.add(state);
        }
        return super.dispatch(key);
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[] id) || id.length != 5 || !"storage".equals(id[0])) {
            throw new PickleException("unexpected persistent id " + describe(pid));
        }
        String typeName = globalName(id[1]);
        String key = String.valueOf(id[2]);
        long numel = asLong(id[4], "storage size");
        return new StorageRef(typeName, TorchStorageType.forGlobal(typeName), key, numel);
    }

    private static Object orderedDict(Object[] args) {
        PyOrderedDict dict = new PyOrderedDict();
        if (args.length == 1 && args[0] instanceof List<?> pairs) {
            for (Object pair : pairs) {
                List<?> keyValue = pair instanceof Object[] tuple ? Arrays.asList(tuple) : (List<?>) pair;
                dict.put(keyValue.get(0), keyValue.get(1));
            }
        } else if (args.length != 0) {
            throw new PickleException("unexpected OrderedDict arguments " + describe(args));
        }
        return dict;
    }

    private static Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof StorageRef storage)) {
            throw new PickleException("unexpected _rebuild_tensor_v2 arguments " + describe(args));
        }
        long offset = asLong(args[1], "storage offset");
        return new TensorSpec(storage, offset, longs(args[2], "size"), longs(args[3], "stride"));
    }

    private static Object argument(Object[] args, int index, String function) {
        if (args.length <= index) {
            throw new PickleException("too few arguments for " + function);
        }
        return args[index];
    }

    /** The qualified name of a pickled global, e.g. "torch.FloatStorage". */
    private static String globalName(Object global) {
        if (global instanceof ClassDictConstructor constructor) {
            // An unregistered global; a ClassDict built with no arguments reports its name.
            return ((ClassDict) constructor.construct(new Object[0])).getClassName();
        }
        return String.valueOf(global);
    }

    private static long[] longs(Object tuple, String what) {
        if (!(tuple instanceof Object[] items)) {
            throw new PickleException("tensor " + what + " is not a tuple: " + describe(tuple));
        }
        long[] values = new long[items.length];
        for (int i = 0; i < items.length; i++) {
            values[i] = asLong(items[i], what);
        }
        return values;
    }

    private static long asLong(Object value, String what) {
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        throw new PickleException(what + " is not an integer: " + describe(value));
    }

    private static String describe(Object value) {
        if (value instanceof Object[] tuple) {
            List<String> parts = new ArrayList<>();
            for (Object item : tuple) {
                parts.add(describe(item));
            }
            return "(" + String.join(", ", parts) + ")";
        }
        return String.valueOf(value);
    }
}
