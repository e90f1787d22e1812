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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import spsn.EngineTest;
import spsn.SpsnException;
import spsn.io.StateDict;
import spsn.model.NeuronOptions;
import spsn.model.NeuronType;
import spsn.neuron.spike.Surrogate;

/**
 * Our NIR export of fixed models (LIF; ParaLIF-T; recurrent LIF; recurrent LIF-LT with learned
 * thresholds and time constants) against what NIR's own reader read from it
 * ({@code <model>.read_by_nir.json}, written by tools/nir/make_fixtures.py with nir.read): the
 * same nodes and classes, edges, and every parameter with the same dtype, shape and values, bit
 * for bit.
 */
class NirExportTest extends EngineTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"fixed_model", "paralif_t_model", "recurrent_lif_model", "lif_lt_model", "paralif_t_pn_model"})
    void theExportedFileHoldsWhatNirsReaderReadFromIt(String model) throws Exception {
        Path file = tmp.resolve(model + ".nir");
        NirFile.write(file, model.equals("fixed_model") ? NirFixtures.fixedGraph() : NirFixtures.exported(model, manager));
        JsonNode record = NirFixtures.json(model + ".read_by_nir.json");
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

    /** ParaLIF-T: a CubaLI (the Euler mapping) and a Threshold of the learned relu(_spk_threshold) per layer. */
    @Test
    void paraLifTLayersAreCubaLiThenTheirLearnedThreshold() {
        NirGraph graph = NirFixtures.exported("paralif_t_model", manager);
        assertEquals(List.of("input", "fc0", "li0", "thr0", "fc1", "li1", "thr1", "fc2", "li2", "output"),
                List.copyOf(graph.nodes().keySet()));
        NirNode.CubaLi li = (NirNode.CubaLi) graph.nodes().get("li1");
        float alpha = (float) Math.exp(-1e-3 / 0.01);
        assertEquals(1e-3 / (1 - (double) alpha), li.tauSyn()[2], 0.0);
        assertEquals(1 / (1 - (double) alpha), li.wIn()[2], 0.0);
        assertEquals(1.0, li.r()[2]);
        assertEquals(0.8f, (float) ((NirNode.Threshold) graph.nodes().get("thr0")).threshold()[9]);
        assertEquals(1.25f, (float) ((NirNode.Threshold) graph.nodes().get("thr1")).threshold()[0]);
    }

    /** Recurrent LIF: the cycle lif -> w_rec -> lif with fc_recu as the Affine, bias included. */
    @Test
    void aRecurrentLayerIsACycleThroughItsRecurrentAffine() {
        NirGraph graph = NirFixtures.exported("recurrent_lif_model", manager);
        assertTrue(graph.edges().contains(new NirGraph.Edge("lif0", "w_rec0")));
        assertTrue(graph.edges().contains(new NirGraph.Edge("w_rec0", "lif0")));
        assertEquals(List.of("fc1", "w_rec1"), graph.predecessors("lif1"));
        NirNode.Affine rec = (NirNode.Affine) graph.nodes().get("w_rec1");
        assertArrayEquals(NirFixtures.model("recurrent_lif_model").get("1.fc_recu.bias").data(), rec.bias().data(), 0f);
    }

    /** Learned time constants: the decays are sigmoid(raw) of each layer, thresholds relu(raw). */
    @Test
    void learnedTimeConstantsAreTheSigmoidsOfTheRawParameters() {
        NirGraph graph = NirFixtures.exported("lif_lt_model", manager);
        float[][] raw = {{2.2f, 3.0f}, {1.5f, 2.5f}};
        for (int i = 0; i < 2; i++) {
            NirNode.CubaLif lif = (NirNode.CubaLif) graph.nodes().get("lif" + i);
            float alpha = spsn.model.LearnedDecay.decay(manager, raw[i][0]);
            float beta = spsn.model.LearnedDecay.decay(manager, raw[i][1]);
            assertEquals(1 / (1 + Math.exp(-raw[i][0])), alpha, 1e-7);
            assertEquals(alpha, (float) EulerMapping.decay(lif.tauSyn()[4], EulerMapping.DT));
            assertEquals(beta, (float) EulerMapping.decay(lif.tauMem()[4], EulerMapping.DT));
            assertEquals(new float[] {0.9f, 1.15f}[i], (float) lif.vThreshold()[4]);
        }
        NirNode.CubaLi out = (NirNode.CubaLi) graph.nodes().get("li2");
        assertEquals(spsn.model.LearnedDecay.decay(manager, 3.5f), (float) EulerMapping.decay(out.tauMem()[0], EulerMapping.DT));
    }

    /**
     * --per_neuron ParaLIF-T: every neuron's own threshold relu(_spk_threshold[k]) and decays
     * sigmoid(_alpha[k]), sigmoid(_beta[k]) (one sigmoid over the [H] tensor, as the network
     * computes it) are the CubaLI's and Threshold's k-th values, output layer included.
     */
    @Test
    void perNeuronParametersAreWrittenNeuronByNeuron() {
        NirGraph graph = NirFixtures.exported("paralif_t_pn_model", manager);
        StateDict model = NirFixtures.model("paralif_t_pn_model");
        for (int i = 0; i < 3; i++) {
            String p = (2 * i + 1) + ".";
            float[] alpha = spsn.model.LearnedDecay.decays(manager, model.get(p + "_alpha").data(), new long[] {model.get(p + "_alpha").numel()});
            float[] beta = spsn.model.LearnedDecay.decays(manager, model.get(p + "_beta").data(), new long[] {model.get(p + "_beta").numel()});
            NirNode.CubaLi li = (NirNode.CubaLi) graph.nodes().get("li" + i);
            assertEquals(alpha.length, li.tauSyn().length);
            for (int k = 0; k < alpha.length; k++) {
                assertEquals(alpha[k], (float) EulerMapping.decay(li.tauSyn()[k], EulerMapping.DT), "layer " + i + " neuron " + k);
                assertEquals(beta[k], (float) EulerMapping.decay(li.tauMem()[k], EulerMapping.DT), "layer " + i + " neuron " + k);
                assertEquals(1 / (1 - (double) alpha[k]), li.wIn()[k], 0.0);
                if (i < 2) {
                    assertEquals(Math.max(0f, model.get(p + "_spk_threshold").data()[k]),
                            (float) ((NirNode.Threshold) graph.nodes().get("thr" + i)).threshold()[k]);
                }
            }
            assertTrue(alpha[0] != alpha[1] && beta[0] != beta[1], "the fixture's neurons differ");
        }
    }

    /** A per-neuron model read as per-layer, and the other way round, is refused naming the key and the flag. */
    @Test
    void perNeuronTensorsAndFlagsMustAgree() {
        StateDict perNeuron = NirFixtures.model("paralif_t_pn_model");
        NeuronOptions learnTau = new NeuronOptions(false, false, true, null, Surrogate.DEFAULT);
        TrainedModel asPerLayer = new TrainedModel(perNeuron, NeuronType.PARALIF_T, 0.03, 0.01, learnTau, "flags");
        SpsnException e = assertThrows(SpsnException.class, () -> NirExport.graph(asPerLayer,
                raw -> spsn.model.LearnedDecay.decays(manager, raw.data(), raw.shape()), "m.pt"));
        assertTrue(e.getMessage().contains("key 1._alpha has 10 values, one per neuron, but the run's flags say one"
                + " per layer; was it trained with --per_neuron?"), e.getMessage());
        NeuronOptions pn = new NeuronOptions(false, false, false, null, Surrogate.DEFAULT, true);
        TrainedModel asPerNeuron = new TrainedModel(NirFixtures.model("paralif_t_model"), NeuronType.PARALIF_T, 0.03,
                0.01, pn, "flags");
        SpsnException f = assertThrows(SpsnException.class, () -> NirExport.graph(asPerNeuron, null, "m.pt"));
        assertTrue(f.getMessage().contains("has shape [] but a --per_neuron layer of 10 neurons has [10]; was it"
                + " trained without --per_neuron?"), f.getMessage());
        assertRefused(NeuronType.LIF, pn, "--per_neuron is for parallel neurons only, and LIF layers have one");
    }

    /** Every neuron or option without a NIR primitive: one line naming it, exit code 1. */
    @Test
    void neuronsWithoutANirPrimitiveAreRefusedByName() {
        Map<NeuronType, String> why = new java.util.LinkedHashMap<>();
        why.put(NeuronType.SPSN_SB, "SPSN-SB neurons fire at random (stochastic Bernoulli spikes)");
        why.put(NeuronType.SPSN_GS, "SPSN-GS neurons fire at random (stochastic Gumbel-softmax spikes)");
        why.put(NeuronType.PARALIF_SB, "ParaLIF-SB neurons fire at random");
        why.put(NeuronType.PARALIF_GS, "ParaLIF-GS neurons fire at random (stochastic Gumbel-softmax");
        why.put(NeuronType.PARALIF_TRB, "ParaLIF-TRB neurons fire at random");
        why.put(NeuronType.NON_SPIKING, "Non-Spiking networks use ReLU units");
        why.put(NeuronType.PARALIF_D, "ParaLIF-D neurons fire on the rise of their membrane over one step (delta spikes)");
        why.put(NeuronType.PARALIF_SD, "ParaLIF-SD neurons fire on the rise of their normalised membrane");
        why.put(NeuronType.PARALIF_TD, "ParaLIF-TD neurons fire on the rise");
        why.put(NeuronType.PARALIF_TRD, "ParaLIF-TRD neurons fire on the rise");
        why.put(NeuronType.PARALIF_ST, "ParaLIF-ST neurons compare sigmoid(V) with the threshold (their sigmoid normaliser)");
        why.put(NeuronType.PARALIF_TT, "ParaLIF-TT neurons compare tanh(V) with the threshold");
        why.put(NeuronType.PARALIF_TRT, "ParaLIF-TRT neurons compare relu(tanh)(V) with the threshold");
        for (Map.Entry<NeuronType, String> e : why.entrySet()) {
            assertRefused(e.getKey(), NeuronOptions.DEFAULT, e.getValue());
        }
        NeuronOptions recurrent = new NeuronOptions(true, false, false, null, Surrogate.DEFAULT);
        assertRefused(NeuronType.PARALIF_T, recurrent, "ParaLIF's recurrence (--recurrent: fed by the spikes of the"
                + " feed-forward membrane shifted by one step");
        NeuronOptions relu = new NeuronOptions(true, true, false, null, Surrogate.DEFAULT);
        assertRefused(NeuronType.LIF, relu, "its recurrence feeds back relu of the membrane (--recurrent_relu)");
        assertRefused(NeuronType.LIF_LT, relu, "its recurrence feeds back relu of the membrane (--recurrent_relu)");
    }

    private static void assertRefused(NeuronType neuron, NeuronOptions options, String why) {
        TrainedModel trained = new TrainedModel(NirFixtures.fixedModel(), neuron, 0.02, 0.02, options, "flags");
        SpsnException e = assertThrows(SpsnException.class, () -> NirExport.graph(trained, null, "m.pt"));
        assertEquals(SpsnException.DATA, e.exitCode());
        assertTrue(e.getMessage().startsWith("m.pt: cannot export to NIR: " + why), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    /** A learn_tau model without its learned time constants, and keys of another neuron: named, not misread. */
    @Test
    void modelsThatDoNotMatchTheFlagsAreRefusedNamingTheKey() {
        NeuronOptions learnTau = new NeuronOptions(false, false, true, null, Surrogate.DEFAULT);
        TrainedModel noTau = new TrainedModel(NirFixtures.fixedModel(), NeuronType.LIF, 0.02, 0.02, learnTau, "flags");
        SpsnException e = assertThrows(SpsnException.class, () -> NirExport.graph(noTau, raw -> raw.data(), "m.pt"));
        assertTrue(e.getMessage().contains("has no key 0._alpha (the learned time constants of a --learn_tau model)"),
                e.getMessage());
        TrainedModel asLif = new TrainedModel(NirFixtures.model("recurrent_lif_model"), NeuronType.LIF, 0.02, 0.02,
                NeuronOptions.DEFAULT, "flags");
        SpsnException rec = assertThrows(SpsnException.class, () -> NirExport.graph(asLif, null, "m.pt"));
        assertTrue(rec.getMessage().contains("layer 0 is recurrent (fc_recu) but the run's flags say feed-forward"),
                rec.getMessage());
    }
}
