package spsn.nir;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import spsn.SpsnException;
import spsn.io.AtomicFiles;
import spsn.io.Tensor;

/**
 * NIR's HDF5 layout (NIR's {@code nir/serialization.py}), written and read with jhdf: a root
 * {@code version} string and a {@code node} group holding the graph: {@code type} "NIRGraph",
 * {@code edges} (E x 2 strings) and {@code nodes/<name>/} with each node's {@code type} string and
 * parameter datasets. No attributes are written (jhdf itself adds a root {@code _jHDF}, which
 * NIR's reader ignores: it reads datasets and groups only).
 *
 * <p>Weights and biases are float32, the values the network trained with; neuron parameters are
 * float64, so that the decay factors 1 - dt/tau they stand for come back bit for bit; shapes are
 * int64. Strings are fixed-length (h5py reads them as bytes, which NIR's reader decodes).
 */
public final class NirFile {

    /** The NIR release whose serialization this follows (NIR 1.0.x; the node format is unchanged since). */
    public static final String NIR_VERSION = "1.0.7";

    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private NirFile() {
    }

    /** Whether {@code file} starts with the HDF5 signature (at offset 0, where jhdf and h5py put it). */
    public static boolean looksLikeHdf5(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(HDF5_SIGNATURE.length);
            return Arrays.equals(head, HDF5_SIGNATURE);
        } catch (IOException e) {
            return false;
        }
    }

    // ---- writing ------------------------------------------------------------------------------

    /** Writes {@code graph} to {@code file} atomically; an existing file is never replaced. */
    public static void write(Path file, NirGraph graph) {
        if (Files.exists(file)) {
            throw SpsnException.data(file + " already exists; remove it or choose another -o");
        }
        Path folder = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(folder);
            temp = Files.createTempFile(folder, "." + file.getFileName(), ".tmp");
            // jhdf writes to a path only: write it aside, then publish the bytes atomically
            try (WritableHdfFile hdf = HdfFile.write(temp)) {
                hdf.putDataset("version", NIR_VERSION);
                writeGraph(hdf.putGroup("node"), graph);
            }
            byte[] bytes = Files.readAllBytes(temp);
            AtomicFiles.writeNew(file, out -> out.write(bytes));
        } catch (IOException | RuntimeException e) {
            if (e instanceof SpsnException s) {
                throw s;
            }
            throw SpsnException.data("cannot write " + file + ": " + e.getMessage()
                    + "; check that the folder exists, is writable and has free space", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a stray temporary file is harmless
                }
            }
        }
    }

    private static void writeGraph(WritableGroup group, NirGraph graph) {
        group.putDataset("type", "NIRGraph");
        String[][] edges = new String[graph.edges().size()][];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = new String[] {graph.edges().get(i).from(), graph.edges().get(i).to()};
        }
        group.putDataset("edges", edges);
        if (!graph.metadata().isEmpty()) {
            // as NIR's writer: a group of datasets (never attributes), left out when empty
            WritableGroup metadata = group.putGroup("metadata");
            graph.metadata().forEach(metadata::putDataset);
        }
        WritableGroup nodes = group.putGroup("nodes");
        for (Map.Entry<String, NirNode> e : graph.nodes().entrySet()) {
            writeNode(nodes.putGroup(e.getKey()), e.getValue());
        }
    }

    private static void writeNode(WritableGroup g, NirNode node) {
        g.putDataset("type", node.type());
        if (node instanceof NirNode.Input in) {
            g.putDataset("shape", in.shape());
        } else if (node instanceof NirNode.Output out) {
            g.putDataset("shape", out.shape());
        } else if (node instanceof NirNode.Affine a) {
            g.putDataset("weight", matrix(a.weight()));
            g.putDataset("bias", a.bias().data());
        } else if (node instanceof NirNode.CubaLif n) {
            g.putDataset("tau_syn", n.tauSyn());
            g.putDataset("tau_mem", n.tauMem());
            g.putDataset("r", n.r());
            g.putDataset("v_leak", n.vLeak());
            g.putDataset("v_threshold", n.vThreshold());
            g.putDataset("v_reset", n.vReset());
            g.putDataset("w_in", n.wIn());
        } else if (node instanceof NirNode.CubaLi n) {
            g.putDataset("tau_syn", n.tauSyn());
            g.putDataset("tau_mem", n.tauMem());
            g.putDataset("r", n.r());
            g.putDataset("v_leak", n.vLeak());
            g.putDataset("w_in", n.wIn());
        } else if (node instanceof NirNode.Threshold t) {
            g.putDataset("threshold", t.threshold());
        } else {
            throw new IllegalArgumentException("cannot write a NIR " + node.type() + " node");
        }
    }

    private static float[][] matrix(Tensor t) {
        int rows = (int) t.shape()[0];
        int cols = (int) t.shape()[1];
        float[][] m = new float[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(t.data(), i * cols, m[i], 0, cols);
        }
        return m;
    }

    // ---- reading ------------------------------------------------------------------------------

    /**
     * Reads the graph in {@code file}, written by this tool or by NIR's own writer (h5py: gzip
     * datasets, variable-length strings, float32 or float64 parameters).
     *
     * @throws SpsnException (data) naming the file when it is not HDF5 or not a NIR graph
     */
    public static NirGraph read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw SpsnException.data("model file " + file + " does not exist");
        }
        try (HdfFile hdf = new HdfFile(file)) {
            Node root = child(hdf, "node", file);
            if (!(root instanceof Group group)) {
                throw notNir(file, "/node is not a group");
            }
            return readGraph(group, file);
        } catch (SpsnException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SpsnException.data("model file " + file + ": cannot read it as a NIR file (" + e.getMessage()
                    + "); is it a .nir file written by NIR or by spsn export?", e);
        }
    }

    private static NirGraph readGraph(Group group, Path file) {
        String type = string(group, "type", file);
        if (!type.equals("NIRGraph")) {
            throw notNir(file, "/node has type " + type + ", not NIRGraph");
        }
        Object edgeData = dataset(group, "edges", file).getData();
        List<NirGraph.Edge> edges = new ArrayList<>();
        if (edgeData instanceof String[][] pairs) {
            for (String[] pair : pairs) {
                if (pair.length != 2) {
                    throw notNir(file, "/node/edges is not an E x 2 array of names");
                }
                edges.add(new NirGraph.Edge(pair[0], pair[1]));
            }
        } else {
            throw notNir(file, "/node/edges is not an E x 2 array of names");
        }
        Node nodesNode = child(group, "nodes", file);
        if (!(nodesNode instanceof Group nodes)) {
            throw notNir(file, "/node/nodes is not a group");
        }
        Map<String, NirNode> read = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : nodes.getChildren().entrySet()) {
            if (!(e.getValue() instanceof Group nodeGroup)) {
                throw notNir(file, "node " + e.getKey() + " is not a group");
            }
            read.put(e.getKey(), readNode(e.getKey(), nodeGroup, file));
        }
        for (NirGraph.Edge e : edges) {
            for (String end : List.of(e.from(), e.to())) {
                if (!read.containsKey(end)) {
                    throw notNir(file, "edge (" + e.from() + ", " + e.to() + ") names a node " + end + " it does not have");
                }
            }
        }
        return new NirGraph(read, edges);
    }

    private static NirNode readNode(String name, Group g, Path file) {
        String type = string(g, "type", file);
        return switch (type) {
            case "Input" -> new NirNode.Input(longs(g, "shape", file));
            case "Output" -> new NirNode.Output(longs(g, "shape", file));
            case "Affine" -> new NirNode.Affine(floats(g, "weight", file), floats(g, "bias", file));
            case "Linear" -> {
                Tensor weight = floats(g, "weight", file);
                yield new NirNode.Affine(weight, Tensor.of(new float[(int) weight.shape()[0]], weight.shape()[0]));
            }
            case "CubaLIF" -> new NirNode.CubaLif(doubles(g, "tau_syn", file), doubles(g, "tau_mem", file),
                    doubles(g, "r", file), doubles(g, "v_leak", file), doubles(g, "v_threshold", file),
                    // NIR's reader defaults a missing v_reset to 0 (older files)
                    g.getChildren().containsKey("v_reset") ? doubles(g, "v_reset", file) : null,
                    g.getChildren().containsKey("w_in") ? doubles(g, "w_in", file) : null);
            case "CubaLI" -> new NirNode.CubaLi(doubles(g, "tau_syn", file), doubles(g, "tau_mem", file),
                    doubles(g, "r", file), doubles(g, "v_leak", file),
                    g.getChildren().containsKey("w_in") ? doubles(g, "w_in", file) : null);
            case "Threshold" -> new NirNode.Threshold(doubles(g, "threshold", file));
            default -> new NirNode.Other(type);
        };
    }

    private static Node child(Group group, String name, Path file) {
        Node node = group.getChildren().get(name);
        if (node == null) {
            throw notNir(file, (group.getPath().equals("/") ? "/" : group.getPath() + "/") + name + " is missing");
        }
        return node;
    }

    private static Dataset dataset(Group group, String name, Path file) {
        if (!(child(group, name, file) instanceof Dataset d)) {
            throw notNir(file, group.getPath() + "/" + name + " is not a dataset");
        }
        return d;
    }

    private static String string(Group group, String name, Path file) {
        Object data = dataset(group, name, file).getData();
        if (data instanceof String s) {
            return s;
        }
        throw notNir(file, group.getPath() + "/" + name + " is not a string");
    }

    private static long[] longs(Group group, String name, Path file) {
        double[] values = flat(dataset(group, name, file), file);
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (long) values[i];
        }
        return out;
    }

    private static double[] doubles(Group group, String name, Path file) {
        return flat(dataset(group, name, file), file);
    }

    /** A numeric dataset as float32 with its shape (float64 weights are rounded to float32). */
    private static Tensor floats(Group group, String name, Path file) {
        Dataset d = dataset(group, name, file);
        double[] values = flat(d, file);
        float[] data = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            data[i] = (float) values[i];
        }
        return new Tensor(d.getDimensionsAsLong(), data);
    }

    /** Any numeric dataset (scalar or N-d, any width) flattened in C order, as doubles. */
    private static double[] flat(Dataset d, Path file) {
        Object data = d.isScalar() ? d.getData() : d.getDataFlat();
        if (data instanceof Number n) {
            return new double[] {n.doubleValue()};
        }
        if (data == null || !data.getClass().isArray() || !data.getClass().getComponentType().isPrimitive()) {
            throw notNir(file, d.getPath() + " is not a numeric dataset");
        }
        int n = Array.getLength(data);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = ((Number) Array.get(data, i)).doubleValue();
        }
        return out;
    }

    private static SpsnException notNir(Path file, String what) {
        return SpsnException.data("model file " + file + " is not a NIR graph: " + what
                + "; give a .nir file written by NIR or by spsn export");
    }
}
