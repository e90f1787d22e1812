package spsn.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import net.razorvine.pickle.objects.ClassDict;
import spsn.SpsnException;
import spsn.io.TorchUnpickler.StorageRef;
import spsn.io.TorchUnpickler.TensorSpec;

/**
 * Reads a PyTorch {@code state_dict} saved with {@code torch.save} (the zip format, PyTorch 1.6
 * and later): {@code <folder>/data.pkl} holds the pickled dict, {@code <folder>/data/<key>} the
 * raw little-endian storages. Floating-point tensors of any layout (views with offsets and
 * strides, float64/float16/bfloat16) come out as contiguous float32 {@link Tensor}s.
 */
public final class TorchStateDictReader {

    private static final String NOT_TORCH =
            " is not a PyTorch model file (expected a zip archive with data.pkl, as written by torch.save)";

    private TorchStateDictReader() {
    }

    /**
     * Reads all tensors of the state_dict in {@code file}, in the file's key order. Non-tensor
     * entries are skipped.
     *
     * @throws SpsnException (data) with a one-line message naming the file when it is missing,
     *     not a torch.save zip archive, damaged, or holds a non-floating-point tensor
     */
    public static StateDict read(Path file) {
        checkSignature(file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return new Archive(file, zip).read();
        } catch (ZipException e) {
            throw SpsnException.data(file + NOT_TORCH, e);
        } catch (IOException e) {
            throw SpsnException.data("cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Tells apart a missing file, the legacy (pickle) format and other non-zip files. */
    private static void checkSignature(Path file) {
        if (Files.isDirectory(file)) {
            throw SpsnException.data("model file " + file + " is a folder, not a file");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        } catch (NoSuchFileException e) {
            throw SpsnException.data("model file " + file + " does not exist; check the path");
        } catch (IOException e) {
            throw SpsnException.data("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5) {
            // A bare pickle stream: what torch.save wrote before 1.6 (or with
            // _use_new_zipfile_serialization=False).
            throw SpsnException.data("model file " + file + " uses the legacy torch.save format "
                    + "(before PyTorch 1.6); re-save it with PyTorch >= 1.6 defaults: "
                    + "torch.save(torch.load(old_path), new_path)");
        }
        if (!Arrays.equals(head, new byte[] {'P', 'K', 3, 4})) {
            throw SpsnException.data(file + NOT_TORCH);
        }
    }

    /** One open archive: unpickles data.pkl, then copies the tensors out of their storages. */
    private static final class Archive {

        private final Path file;
        private final ZipFile zip;
        private final Map<String, float[]> storages = new HashMap<>();
        private String folder;

        Archive(Path file, ZipFile zip) {
            this.file = file;
            this.zip = zip;
        }

        StateDict read() throws IOException {
            ZipEntry pickle = findDataPkl();
            folder = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
            Map<?, ?> root = unpickle(pickle);
            StateDict dict = new StateDict(file.toString());
            for (Map.Entry<?, ?> entry : root.entrySet()) {
                if (entry.getKey() instanceof String key && entry.getValue() instanceof TensorSpec spec) {
                    dict.put(key, materialize(key, spec));
                }
            }
            if (dict.size() == 0 && !root.isEmpty()) {
                throw SpsnException.data("model file " + file + " holds no tensors at its top level (keys: "
                        + shortList(root.keySet()) + "); save the state_dict itself: "
                        + "torch.save(model.state_dict(), path)");
            }
            return dict;
        }

        /** The archive's {@code <folder>/data.pkl}; the folder name depends on the writer. */
        private ZipEntry findDataPkl() {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                    return entry;
                }
            }
            throw SpsnException.data(file + NOT_TORCH);
        }

        private Map<?, ?> unpickle(ZipEntry pickle) {
            Object root;
            TorchUnpickler unpickler = new TorchUnpickler();
            try (InputStream in = zip.getInputStream(pickle)) {
                root = unpickler.load(in);
            } catch (IOException | RuntimeException e) {
                throw SpsnException.data("model file " + file + ": cannot read its data.pkl ("
                        + oneLine(e) + "); expected a state_dict saved with torch.save(model.state_dict(), path)", e);
            } finally {
                unpickler.close();
            }
            if (root instanceof Map<?, ?> map) {
                return map;
            }
            String type = root instanceof ClassDict object ? object.getClassName()
                    : root == null ? "None" : root.getClass().getSimpleName();
            throw SpsnException.data("model file " + file + " holds a " + type + ", not a state_dict; "
                    + "save it with torch.save(model.state_dict(), path)");
        }

        private Tensor materialize(String key, TensorSpec spec) throws IOException {
            StorageRef storage = spec.storage();
            if (storage.type() == null || !storage.type().supported()) {
                String dtype = storage.type() == null ? storage.typeName() : storage.type().dtype();
                throw SpsnException.data("model file " + file + ": key " + key + " has dtype " + dtype
                        + "; only floating-point tensors (float32, float64, float16, bfloat16) are supported");
            }
            float[] values = storageValues(storage);
            long[] shape = spec.shape();
            long[] stride = spec.stride();
            long numel;
            try {
                numel = Tensor.numelOf(shape);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw damaged("key " + key + " has unusable shape " + Arrays.toString(shape));
            }
            checkBounds(key, spec, values.length, numel);
            float[] data = new float[(int) numel];
            gather(values, spec.offset(), shape, stride, data);
            return new Tensor(shape, data);
        }

        /** Every element of the view must lie inside the storage. */
        private void checkBounds(String key, TensorSpec spec, int storageSize, long numel) {
            long[] shape = spec.shape();
            long[] stride = spec.stride();
            boolean bad = stride.length != shape.length || spec.offset() < 0;
            long last = spec.offset();
            try {
                for (int d = 0; !bad && d < shape.length; d++) {
                    bad = stride[d] < 0;
                    last = Math.addExact(last, Math.multiplyExact(Math.max(shape[d] - 1, 0), stride[d]));
                }
            } catch (ArithmeticException e) {
                bad = true;
            }
            if (bad || (numel > 0 && last >= storageSize)) {
                throw damaged("key " + key + " (shape " + Arrays.toString(shape) + ", stride "
                        + Arrays.toString(stride) + ", offset " + spec.offset() + ") reaches past its storage of "
                        + storageSize + " values");
            }
        }

        /** Copies a strided view into row-major order, stepping through indices like an odometer. */
        private static void gather(float[] source, long offset, long[] shape, long[] stride, float[] target) {
            int dims = shape.length;
            long[] index = new long[dims];
            long position = offset;
            for (int i = 0; i < target.length; i++) {
                target[i] = source[(int) position];
                for (int d = dims - 1; d >= 0; d--) {
                    index[d]++;
                    position += stride[d];
                    if (index[d] < shape[d]) {
                        break;
                    }
                    position -= stride[d] * shape[d];
                    index[d] = 0;
                }
            }
        }

        /** A storage's values as float32, read once even when several tensors share it. */
        private float[] storageValues(StorageRef storage) throws IOException {
            float[] cached = storages.get(storage.key());
            if (cached != null) {
                return cached;
            }
            String name = folder + "data/" + storage.key();
            ZipEntry entry = zip.getEntry(name);
            if (entry == null) {
                throw damaged("storage " + name + " is missing");
            }
            int elementSize = storage.type().elementSize();
            if (storage.numel() < 0 || storage.numel() > (Integer.MAX_VALUE - 8) / elementSize) {
                throw damaged("storage " + name + " has unusable size " + storage.numel());
            }
            long bytesNeeded = storage.numel() * elementSize;
            byte[] bytes;
            try (InputStream in = zip.getInputStream(entry)) {
                bytes = in.readNBytes((int) bytesNeeded);
            }
            if (bytes.length < bytesNeeded) {
                throw damaged("storage " + name + " has " + bytes.length + " bytes but needs " + bytesNeeded);
            }
            float[] values = storage.type().toFloats(bytes, (int) storage.numel());
            storages.put(storage.key(), values);
            return values;
        }

        private SpsnException damaged(String detail) {
            return SpsnException.data("model file " + file + " is damaged: " + detail
                    + "; save it again with torch.save(model.state_dict(), path)");
        }
    }

    private static String shortList(Iterable<?> keys) {
        List<String> names = new ArrayList<>();
        for (Object key : keys) {
            if (names.size() == 5) {
                names.add("...");
                break;
            }
            names.add(String.valueOf(key));
        }
        return String.join(", ", names);
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }
}
