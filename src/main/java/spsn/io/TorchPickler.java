package spsn.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.razorvine.pickle.IObjectDeconstructor;
import net.razorvine.pickle.IObjectPickler;
import net.razorvine.pickle.Pickler;

/**
 * Pickles a state_dict the way torch.save does (protocol 2), through razorvine's extension
 * points: deconstructors emit the Python globals and calls, and {@link #persistentId} emits the
 * storage references that point at the archive's {@code data/<key>} records:
 *
 * <pre>
 * OrderedDict([(key, torch._utils._rebuild_tensor_v2(
 *     persistent_load(('storage', torch.FloatStorage, '0', 'cpu', numel)),
 *     0, shape, stride, False, OrderedDict())), ...])
 * </pre>
 */
final class TorchPickler extends Pickler {

    /** A call {@code collections.OrderedDict(items)}; items are (key, value) tuples. */
    private record OrderedDictCall(List<Object[]> items) {
    }

    /** A call {@code torch._utils._rebuild_tensor_v2(...)} for a contiguous float32 tensor. */
    private record RebuildTensorCall(FloatStorage storage, long[] shape) {
    }

    /** A float32 storage, pickled as a persistent id, its bytes stored as {@code data/<key>}. */
    private record FloatStorage(String key, long numel) {
    }

    /** The class object {@code torch.FloatStorage} (a bare global, not a call). */
    private enum FloatStorageClass { INSTANCE }

    /** Emits GLOBAL module.name, then (when there are arguments) the argument tuple and REDUCE. */
    private record Global(String module, String name, Function<Object, Object[]> arguments)
            implements IObjectDeconstructor {

        @Override
        public String getModule() {
            return module;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Object[] deconstruct(Object value) {
            return arguments.apply(value);
        }
    }

    private static final Map<Class<?>, IObjectDeconstructor> GLOBALS = Map.of(
            OrderedDictCall.class, new Global("collections", "OrderedDict",
                    value -> new Object[] {((OrderedDictCall) value).items()}),
            RebuildTensorCall.class, new Global("torch._utils", "_rebuild_tensor_v2",
                    value -> rebuildArguments((RebuildTensorCall) value)),
            FloatStorageClass.class, new Global("torch", "FloatStorage", value -> new Object[0]));

    private TorchPickler() {
        // No memo: with razorvine's value-based memo, equal tensors would be pickled as one
        // shared object.
        super(false);
    }

    /** The data.pkl bytes for {@code dict}; tensor i's storage is record {@code data/i}. */
    static byte[] pickle(StateDict dict) throws IOException {
        List<Object[]> items = new ArrayList<>();
        int index = 0;
        for (String key : dict.keys()) {
            Tensor tensor = dict.get(key);
            FloatStorage storage = new FloatStorage(Integer.toString(index++), tensor.numel());
            items.add(new Object[] {key, new RebuildTensorCall(storage, tensor.shape())});
        }
        return new TorchPickler().dumps(new OrderedDictCall(items));
    }

    private static Object[] rebuildArguments(RebuildTensorCall call) {
        long[] shape = call.shape();
        Object[] size = new Object[shape.length];
        Object[] stride = new Object[shape.length];
        long step = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            size[d] = shape[d];
            stride[d] = step;
            step *= Math.max(shape[d], 1);
        }
        Object backwardHooks = new OrderedDictCall(List.of());
        return new Object[] {call.storage(), 0L, size, stride, false, backwardHooks};
    }

    @Override
    protected IObjectPickler getCustomPickler(Class<?> type) {
        return null; // ignore picklers others registered globally: the format here is fixed
    }

    @Override
    protected IObjectDeconstructor getCustomDeconstructor(Class<?> type) {
        return GLOBALS.get(type);
    }

    @Override
    protected Object persistentId(Object value) {
        if (value instanceof FloatStorage storage) {
            return new Object[] {"storage", FloatStorageClass.INSTANCE, storage.key(), "cpu", storage.numel()};
        }
        return null;
    }
}
