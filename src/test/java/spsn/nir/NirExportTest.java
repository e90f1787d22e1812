package spsn.nir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spsn.SpsnException;
import spsn.model.NeuronType;

/**
 * Our NIR export of a fixed model against what NIR's own reader read from it
 * (fixed_model.read_by_nir.json, written by tools/nir/make_fixtures.py with nir.read): the same
 * nodes and classes, edges, and every parameter with the same dtype, shape and values, bit for bit.
 */
class NirExportTest {

    @TempDir
    Path tmp;

    @Test
    void theExportedFileHoldsWhatNirsReaderReadFromIt() throws Exception {
        Path file = tmp.resolve("fixed_model.nir");
        NirFile.write(file, NirFixtures.fixedGraph());
        JsonNode record = NirFixtures.json("fixed_model.read_by_nir.json");
        try (HdfFile hdf = new HdfFile(file)) {
            assertEquals(record.get("version").asText(), hdf.getDatasetByPath("version").getData());
            Group nodes = (Group) hdf.getByPath("node/nodes");
            assertEquals(names(record.get("nodes").fieldNames()), Set.copyOf(nodes.getChildren().keySet()));
            String[][] edges = (String[][]) hdf.getDatasetByPath("node/edges").getData();
            assertEquals(record.get("edges").size(), edges.length);
            for (int i = 0; i < edges.length; i++) {
                assertEquals(record.get("edges").get(i).get(0).asText(), edges[i][0]);
                assertEquals(record.get("edges").get(i).get(1).asText(), edges[i][1]);
            }
            assertEquals("NIRGraph", hdf.getDatasetByPath("node/type").getData());
            // graph metadata (dt, units, discretisation): datasets, as NIR's writer stores it
            Group metadata = (Group) hdf.getByPath("node/metadata");
            assertEquals(names(record.get("metadata").fieldNames()), Set.copyOf(metadata.getChildren().keySet()));
            for (Map.Entry<String, Node> e : metadata.getChildren().entrySet()) {
                JsonNode value = record.get("metadata").get(e.getKey());
                Object ours = ((Dataset) e.getValue()).getData();
                assertEquals(value.isNumber() ? (Object) value.asDouble() : value.asText(), ours, e.getKey());
            }
            assertEquals(1e-3, record.get("metadata").get("dt").asDouble());
            for (Map.Entry<String, Node> e : nodes.getChildren().entrySet()) {
                checkNode(e.getKey(), (Group) e.getValue(), record.get("nodes").get(e.getKey()));
            }
            // No attributes but the one jhdf adds at the root (NIR's reader reads none).
            assertEquals(Set.of("_jHDF"), hdf.getAttributes().keySet());
            assertNoAttributes(hdf.getChild("node"));
        }
    }

    /** One node: the class NIR built is the node's type, and each parameter matches dtype, shape, values. */
    private static void checkNode(String name, Group group, JsonNode recorded) {
        String type = (String) ((Dataset) group.getChild("type")).getData();
        assertEquals(recorded.get("class").asText(), type, name);
        JsonNode fields = recorded.get("fields");
        List<String> datasets = new ArrayList<>(group.getChildren().keySet());
        datasets.remove("type");
        if (type.equals("Input") || type.equals("Output")) {
            // NIR's Input/Output are written as `shape` and read into input_type / output_type
            assertEquals(List.of("shape"), datasets, name);
            String key = type.equals("Input") ? "input_type" : "output_type";
            JsonNode recordedShape = fields.get(key).get(key.equals("input_type") ? "input" : "output");
            checkDataset(name + "/shape", (Dataset) group.getChild("shape"), recordedShape);
            return;
        }
        List<String> recordedParameters = new ArrayList<>();
        fields.fieldNames().forEachRemaining(recordedParameters::add);
        recordedParameters.removeAll(List.of("input_type", "output_type"));
        assertEquals(Set.copyOf(recordedParameters), Set.copyOf(datasets), name);
        for (String parameter : datasets) {
            checkDataset(name + "/" + parameter, (Dataset) group.getChild(parameter), fields.get(parameter));
        }
    }

    private static void checkDataset(String what, Dataset dataset, JsonNode recorded) {
        String dtype = dataset.getJavaType() == float.class ? "float32"
                : dataset.getJavaType() == double.class ? "float64"
                : dataset.getJavaType() == long.class ? "int64" : dataset.getJavaType().getName();
        assertEquals(recorded.get("dtype").asText(), dtype, what);
        int[] shape = new int[recorded.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = recorded.get("shape").get(i).asInt();
        }
        assertArrayEquals(shape, dataset.getDimensions(), what);
        Object flat = dataset.getDataFlat();
        JsonNode values = recorded.get("values");
        int n = java.lang.reflect.Array.getLength(flat);
        assertEquals(values.size(), n, what);
        for (int i = 0; i < n; i++) {
            double ours = ((Number) java.lang.reflect.Array.get(flat, i)).doubleValue();
            assertEquals(values.get(i).asDouble(), ours, 0.0, what + "[" + i + "]");
        }
    }

    private static void assertNoAttributes(Node node) {
        assertTrue(node.getAttributes().isEmpty(), node.getPath() + " has attributes " + node.getAttributes().keySet());
        if (node instanceof Group group) {
            for (Node child : group.getChildren().values()) {
                assertNoAttributes(child);
            }
        }
    }

    private static Set<String> names(Iterator<String> it) {
        List<String> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        return Set.copyOf(list);
    }

    /** The mapping's constants, stated in docs/NIR.md: tau = dt/(1 - decay), w_in = 1/(1 - alpha), r = 1. */
    @Test
    void neuronParametersFollowTheEulerMapping() {
        NirGraph graph = NirFixtures.fixedGraph();
        float alpha = (float) Math.exp(-1e-3 / 0.01);
        float beta = (float) Math.exp(-1e-3 / 0.03);
        NirNode.CubaLif lif = (NirNode.CubaLif) graph.nodes().get("lif1");
        assertEquals(1e-3 / (1 - (double) alpha), lif.tauSyn()[3], 0.0);
        assertEquals(1e-3 / (1 - (double) beta), lif.tauMem()[3], 0.0);
        assertEquals(1 / (1 - (double) alpha), lif.wIn()[3], 0.0);
        assertEquals(1.0, lif.r()[3]);
        assertEquals(1.0, lif.vThreshold()[3]);
        assertEquals(0.0, lif.vReset()[3]);
        assertEquals(0.0, lif.vLeak()[3]);
        // what an importer recovers: the tool's float32 decay factors exactly
        assertEquals(alpha, (float) EulerMapping.decay(lif.tauSyn()[0], EulerMapping.DT));
        assertEquals(beta, (float) EulerMapping.decay(lif.tauMem()[0], EulerMapping.DT));
        assertTrue(graph.nodes().get("li2") instanceof NirNode.CubaLi);
    }

    @Test
    void neuronsWithoutANirPrimitiveAreRefusedByName() {
        for (NeuronType neuron : List.of(NeuronType.SPSN_SB, NeuronType.SPSN_GS, NeuronType.NON_SPIKING)) {
            SpsnException e = assertThrows(SpsnException.class,
                    () -> NirExport.graph(NirFixtures.fixedModel(), neuron, 0.02, 0.02, "m.pt"));
            assertEquals(SpsnException.DATA, e.exitCode());
            assertTrue(e.getMessage().startsWith("m.pt: cannot export to NIR: " + neuron.cliName()), e.getMessage());
        }
    }
}
