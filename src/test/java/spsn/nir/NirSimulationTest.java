package spsn.nir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spsn.EngineTest;
import spsn.SpsnException;
import spsn.io.StateDict;
import spsn.io.Tensor;
import spsn.model.ModelFiles;
import spsn.model.Network;
import spsn.model.NetworkConfig;
import spsn.model.NeuronType;
import spsn.neuron.Decay;
import spsn.neuron.LifDynamics;
import spsn.neuron.NoiseSource;

/**
 * This tool's LIF network against NIR's equations (tools/nir/nir_reference.py: forward Euler at
 * dt = 1 ms, float64) on a fixed input: hidden spikes equal spike for spike, outputs within
 * {@link #OUTPUT_TOLERANCE} of their largest magnitude (float32 against float64). No firing
 * decision of the fixtures lies within 1e-4 of its threshold, far beyond float32 rounding.
 */
class NirSimulationTest extends EngineTest {

    /** Scaled absolute error of the float32 outputs (the parity tests' forward tolerance). */
    static final double OUTPUT_TOLERANCE = 1e-5;

    @TempDir
    Path tmp;

    /** Our export of the fixed model, simulated with NIR's equations, gives this tool's LIF outputs. */
    @Test
    void theExportedGraphSimulatedByNirsEquationsGivesThisToolsOutputs() {
        JsonNode expected = NirFixtures.json("fixed_model.expected.json");
        StateDict model = NirFixtures.fixedModel();
        Decay decay = Decay.of(NirFixtures.FIXED_TAU_SYN, NirFixtures.FIXED_TAU_MEM, Decay.DT);
        int[] shape = new int[3];
        float[] x = NirFixtures.flat3(expected.get("x"), shape);
        NDArray input = manager.create(x, new Shape(shape[0], shape[1], shape[2]));
        NDArray lif0 = LifDynamics.fire(dense(model, 0, input), decay).spikes();
        assertSpikesEqual("lif0", expected.get("spikes_lif0"), lif0);
        NDArray lif1 = LifDynamics.fire(dense(model, 1, lif0), decay).spikes();
        assertSpikesEqual("lif1", expected.get("spikes_lif1"), lif1);

        NetworkConfig config = new NetworkConfig(NeuronType.LIF, shape[2], 10, 2, 4,
                NirFixtures.FIXED_TAU_MEM, NirFixtures.FIXED_TAU_SYN);
        try (Network network = Network.create(manager, config, 1)) {
            ModelFiles.load(network, model, "fixed_model.pt");
            assertScaled("li2", NirFixtures.flat3d(expected.get("output_li2")), output(network, input));
        }
    }

    /** A graph NIR's writer wrote (gzip, names 0..5, r, w_in, thresholds not 1) imports and runs as NIR says. */
    @Test
    void aGraphWrittenByNirsWriterImportsAndRunsAsNirsEquationsSay() {
        JsonNode expected = NirFixtures.json("written_by_nir.expected.json");
        Path file = NirFixtures.file("written_by_nir.nir");
        NirImport.Imported imported = NirImport.read(NirFile.read(file), file.toString());
        assertEquals(2, imported.nbLayers());
        assertEquals(10, imported.hiddenSize());
        assertEquals(EulerMapping.toolTau(expected.get("nir_tau_syn").asDouble(), 1e-3), imported.toolTauSyn(), 1e-9);
        int[] shape = new int[3];
        NDArray input = manager.create(NirFixtures.flat3(expected.get("x"), shape), new Shape(shape[0], shape[1], shape[2]));
        Decay decay = Decay.of(imported.toolTauSyn(), imported.toolTauMem(), Decay.DT);
        StateDict folded = imported.parameters();
        NDArray spikes1 = LifDynamics.fire(dense(folded, 0, input), decay).spikes();
        assertSpikesEqual("node 1", expected.get("spikes_1"), spikes1);
        NDArray spikes3 = LifDynamics.fire(dense(folded, 1, spikes1), decay).spikes();
        assertSpikesEqual("node 3", expected.get("spikes_3"), spikes3);

        // and through --load_model's route, checked against the flags
        NetworkConfig config = new NetworkConfig(NeuronType.LIF, 20, 10, 2, 4, imported.toolTauMem(), imported.toolTauSyn());
        try (Network network = Network.create(manager, config, 1)) {
            ModelFiles.loadFile(network, file);
            assertScaled("node 5", NirFixtures.flat3d(expected.get("output_5")), output(network, input));
        }
    }

    /** Export, then import: the same parameters bit for bit, so the same outputs. */
    @Test
    void exportThenImportGivesBackTheSameParameters() {
        Path file = tmp.resolve("m.nir");
        NirFile.write(file, NirFixtures.fixedGraph());
        NirImport.Imported imported = NirImport.read(NirFile.read(file), file.toString());
        StateDict original = NirFixtures.fixedModel();
        for (String key : original.keys()) {
            Tensor back = imported.parameters().get(key);
            assertArrayEquals(original.get(key).shape(), back.shape(), key);
            assertArrayEquals(original.get(key).data(), back.data(), 0f, key);
        }
        Decay exact = Decay.of(NirFixtures.FIXED_TAU_SYN, NirFixtures.FIXED_TAU_MEM, Decay.DT);
        Decay recovered = Decay.of(imported.toolTauSyn(), imported.toolTauMem(), Decay.DT);
        assertEquals(exact, recovered);
        // the file holds the float32 decay factor, so the time constant comes back to float32 precision
        assertEquals(NirFixtures.FIXED_TAU_SYN, imported.toolTauSyn(), 1e-6 * NirFixtures.FIXED_TAU_SYN);
    }

    /** The flags must describe the file's network; each mismatch names the flag to give. */
    @Test
    void flagsThatDoNotDescribeTheFileAreRefusedWithTheFlagToGive() {
        Path file = tmp.resolve("m.nir");
        NirFile.write(file, NirFixtures.fixedGraph());
        NirGraph graph = NirFile.read(file);
        String source = file.toString();
        SpsnException tau = assertThrows(SpsnException.class, () -> importAs(graph, NeuronType.LIF, 10, 2, 0.02, NirFixtures.FIXED_TAU_MEM, source));
        assertTrue(tau.getMessage().contains("run with --tau_syn 0.0100000"), tau.getMessage());
        SpsnException size = assertThrows(SpsnException.class, () -> importAs(graph, NeuronType.LIF, 16, 2, NirFixtures.FIXED_TAU_SYN, NirFixtures.FIXED_TAU_MEM, source));
        assertTrue(size.getMessage().contains("run with --hidden_size 10"), size.getMessage());
        SpsnException layers = assertThrows(SpsnException.class, () -> importAs(graph, NeuronType.LIF, 10, 3, NirFixtures.FIXED_TAU_SYN, NirFixtures.FIXED_TAU_MEM, source));
        assertTrue(layers.getMessage().contains("run with --nb_layers 2"), layers.getMessage());
        SpsnException neuron = assertThrows(SpsnException.class, () -> importAs(graph, NeuronType.SPSN_SB, 10, 2, NirFixtures.FIXED_TAU_SYN, NirFixtures.FIXED_TAU_MEM, source));
        assertTrue(neuron.getMessage().contains("run with --neuron LIF"), neuron.getMessage());
        SpsnException all = assertThrows(SpsnException.class, () -> importAs(graph, NeuronType.LIF, 128, 3, 0.02, 0.02, source));
        assertTrue(all.getMessage().endsWith("run with --nb_layers 2 --hidden_size 10 --tau_syn 0.0100000"
                + " --tau_mem 0.0300000"), all.getMessage());
    }

    /** The graph read as the network these flags build (what --load_model does). */
    static StateDict importAs(NirGraph graph, NeuronType neuron, int hidden, int layers, double tauSyn, double tauMem,
                              String source) {
        return importAs(graph, new NetworkConfig(neuron, 20, hidden, layers, 4, tauMem, tauSyn), source);
    }

    static StateDict importAs(NirGraph graph, NetworkConfig config, String source) {
        try (Network network = Network.create(manager, config, 1)) {
            return NirImport.parameters(graph, config, ModelFiles.toStateDict(network),
                    (decays, shape, what) -> spsn.model.LearnedDecay.raws(manager, decays, shape, what), source);
        }
    }

    private static NDArray dense(StateDict model, int layer, NDArray x) {
        return NirFixtures.dense(manager, model, layer, x);
    }

    private static float[] output(Network network, NDArray input) {
        NoiseSource none = null;
        return network.forward(input, none).output().toFloatArray();
    }

    private static void assertSpikesEqual(String what, JsonNode expected, NDArray spikes) {
        NirFixtures.assertSpikesEqual(what, NirFixtures.flat3d(expected), spikes);
    }

    private static void assertScaled(String what, double[] expected, float[] actual) {
        NirFixtures.assertScaled(what, expected, actual, OUTPUT_TOLERANCE);
    }
}
