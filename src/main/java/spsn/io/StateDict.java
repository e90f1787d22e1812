package spsn.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import spsn.SpsnException;

/**
 * Named tensors in insertion order, like a PyTorch {@code state_dict}. It remembers where it came
 * from ({@link #source()}, usually the model file) so that {@link #require} can name it.
 */
public final class StateDict {

    /** How many key names a "missing key" message lists before it abbreviates. */
    private static final int KEYS_IN_MESSAGE = 6;

    private final String source;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    /** An empty dict that is not tied to a file (messages call it "(in memory)"). */
    public StateDict() {
        this("(in memory)");
    }

    /** An empty dict whose messages name {@code source}, e.g. the path of the model file. */
    public StateDict(String source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    public String source() {
        return source;
    }

    /** Adds or replaces {@code key}; a replaced key keeps its position. Returns this dict. */
    public StateDict put(String key, Tensor tensor) {
        tensors.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(tensor, "tensor"));
        return this;
    }

    /** The tensor under {@code key}, or null when there is none. */
    public Tensor get(String key) {
        return tensors.get(key);
    }

    public boolean containsKey(String key) {
        return tensors.containsKey(key);
    }

    /** The keys in insertion order (a snapshot). */
    public List<String> keys() {
        return List.copyOf(tensors.keySet());
    }

    public int size() {
        return tensors.size();
    }

    /**
     * The tensor under {@code key}, which must have exactly {@code expectedShape}.
     *
     * @throws SpsnException (data) naming the file and key when the key is missing or its shape
     *     differs
     */
    public Tensor require(String key, long... expectedShape) {
        Tensor tensor = tensors.get(key);
        if (tensor == null) {
            throw SpsnException.data("model file " + source + " has no key " + key + " (it has "
                    + describeKeys() + "); was it saved from a network with the same layers?");
        }
        long[] shape = tensor.shape();
        if (!Arrays.equals(shape, expectedShape)) {
            throw SpsnException.data("model file " + source + ": key " + key + " has shape "
                    + Arrays.toString(shape) + " but this network needs " + Arrays.toString(expectedShape));
        }
        return tensor;
    }

    private String describeKeys() {
        if (tensors.isEmpty()) {
            return "no tensors";
        }
        List<String> shown = new ArrayList<>(tensors.keySet());
        int total = shown.size();
        String list = String.join(", ", shown.subList(0, Math.min(total, KEYS_IN_MESSAGE)));
        if (total > KEYS_IN_MESSAGE) {
            list += ", ... " + (total - KEYS_IN_MESSAGE) + " more";
        }
        return total + (total == 1 ? " key: " : " keys: ") + list;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("StateDict(").append(source).append(") {");
        String separator = "";
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            text.append(separator).append(entry.getKey()).append(Arrays.toString(entry.getValue().shape()));
            separator = ", ";
        }
        return text.append('}').toString();
    }
}
