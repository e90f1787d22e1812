package spsn.nir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import spsn.EngineTest;
import spsn.SpsnException;
import spsn.io.StateDict;
import spsn.io.Tensor;
import spsn.model.LearnedDecay;
import spsn.model.ModelFiles;
import spsn.model.Network;
import spsn.model.NetworkConfig;
import spsn.model.NeuronOptions;
import spsn.model.NeuronType;
import spsn.neuron.Decay;
import spsn.neuron.LeakyIntegrator;
import spsn.neuron.LifDynamics;
import spsn.neuron.NoiseSource;
import spsn.neuron.ParallelDynamics;
import spsn.neuron.Scalars;
import spsn.neuron.spike.Surrogate;

/**
 * The mappings beyond feed-forward LIF against NIR's equations (tools/nir/nir_reference.py:
 * forward Euler at dt = 1 ms, float64, a recurrent edge carrying the step before): ParaLIF-T
 * (CubaLI then Threshold), recurrent LIF (the cycle lif -> w_rec -> lif), and recurrent LIF-LT
 * with learned thresholds and learned time constants. On the fixed input, this tool's hidden
 * spikes equal NIR's spike for spike (no decision of the fixtures within 1e-4 of its threshold)
 * and its output agrees within {@link NirSimulationTest#OUTPUT_TOLERANCE} of its largest value.
 */
class NirThresholdAndRecurrentTest extends EngineTest {

    private static final NeuronOptions RECURRENT = new NeuronOptions(true, false, false, null, Surrogate.DEFAULT);
    private static final NeuronOptions RECURRENT_LEARN_TAU = new NeuronOptions(true, false, true, null, Surrogate.DEFAULT);
    private static final NeuronOptions PER_NEURON = new NeuronOptions(false, false, false, null, Surrogate.DEFAULT,
            true);
    private static final NeuronOptions PER_NEURON_LEARN_TAU = new NeuronOptions(false, false, true, null,
            Surrogate.DEFAULT, true);

    @TempDir
    Path tmp;

    /** The network each exported fixture is (the flags of make_fixtures.py), and its spiking nodes. */
    private static NetworkConfig config(String model) {
        return switch (model) {
            case "paralif_t_model" -> new NetworkConfig(NeuronType.PARALIF_T, 20, 10, 2, 4, 0.03, 0.01);
            case "recurrent_lif_model" -> new NetworkConfig(NeuronType.LIF, 20, 10, 2, 4, 0.03, 0.01, RECURRENT);
            case "lif_lt_model" -> new NetworkConfig(NeuronType.LIF_LT, 20, 10, 2, 4, 0.02, 0.02, RECURRENT_LEARN_TAU);
            case "paralif_t_pn_model" -> new NetworkConfig(NeuronType.PARALIF_T, 20, 10, 2, 4, 0.03, 0.01,
                    PER_NEURON_LEARN_TAU);
            default -> throw new IllegalArgumentException(model);
        };
    }

    private static List<String> nodes(String model) {
        return model.startsWith("paralif_t") ? List.of("thr0", "thr1", "li2") : List.of("lif0", "lif1", "li2");
    }

    /** The model simulated by NIR's equations on its exported graph gives this tool's spikes and outputs. */
    @ParameterizedTest
    @ValueSource(strings = {"paralif_t_model", "recurrent_lif_model", "lif_lt_model", "paralif_t_pn_model"})
    void theExportedGraphSimulatedByNirsEquationsGivesThisToolsOutputs(String model) {
        JsonNode expected = NirFixtures.json(model + ".expected.json");
        assertTrue(expected.get("min_margin").asDouble() >= 1e-4);
        checkAgainst(expected, config(model), NirFixtures.model(model), nodes(model));
    }

    /** Graphs NIR's writer wrote (per-neuron r, w_in, thresholds) import and run as NIR's equations say. */
    @Test
    void aParaLifTGraphWrittenByNirsWriterImportsAndRunsAsNirsEquationsSay() {
        Path file = NirFixtures.file("written_by_nir_paralif_t.nir");
        NirImport.Imported imported = NirImport.read(NirFile.read(file), file.toString());
        assertEquals(NirLayer.Kind.THRESHOLD, imported.hiddenKind());
        NetworkConfig config = new NetworkConfig(NeuronType.PARALIF_T, 20, 10, 2, 4, imported.toolTauMem(),
                imported.toolTauSyn());
        StateDict params = NirSimulationTest.importAs(NirFile.read(file), config, file.toString());
        checkAgainst(NirFixtures.json("written_by_nir_paralif_t.expected.json"), config, params, List.of("2", "5", "7"));
    }

    /**
     * A graph of NIR's writer whose neurons have time constants of their own (and per-neuron r,
     * w_in, thresholds) imports into a --per_neuron ParaLIF-T network, each neuron its own decays
     * (the fixed [H] buffers) and threshold, and fires as NIR's equations say. Without
     * --per_neuron it is refused in one line naming the flag; with --learn_tau, a decay that no
     * float32 sigmoid gives is refused saying how to keep it.
     */
    @Test
    void aPerNeuronGraphWrittenByNirsWriterImportsIntoAPerNeuronNetworkAndRunsAsNirsEquationsSay() {
        Path file = NirFixtures.file("written_by_nir_paralif_t_pn.nir");
        NirImport.Imported imported = NirImport.read(NirFile.read(file), file.toString());
        assertTrue(imported.perNeuronDecay() && imported.perNeuronThreshold());
        NetworkConfig config = new NetworkConfig(NeuronType.PARALIF_T, 20, 10, 2, 4, 0.03, 0.01, PER_NEURON);
        StateDict params = NirSimulationTest.importAs(NirFile.read(file), config, file.toString());
        assertArrayEquals(new long[] {10}, params.get("1._alpha").shape());
        checkAgainst(NirFixtures.json("written_by_nir_paralif_t_pn.expected.json"), config, params,
                List.of("2", "5", "7"));
        for (boolean learnTau : new boolean[] {false, true}) {
            NetworkConfig perLayer = new NetworkConfig(NeuronType.PARALIF_T, 20, 10, 2, 4, 0.03, 0.01,
                    new NeuronOptions(false, false, learnTau, null, Surrogate.DEFAULT));
            SpsnException e = assertThrows(SpsnException.class,
                    () -> NirSimulationTest.importAs(NirFile.read(file), perLayer, "pn.nir"));
            assertEquals(SpsnException.DATA, e.exitCode());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertTrue(e.getMessage().contains("run with --per_neuron (its neurons have time constants of their own)"),
                    e.getMessage());
        }
        NetworkConfig learned = new NetworkConfig(NeuronType.PARALIF_T, 20, 10, 2, 4, 0.03, 0.01, PER_NEURON_LEARN_TAU);
        SpsnException e = assertThrows(SpsnException.class,
                () -> NirSimulationTest.importAs(NirFile.read(file), learned, "pn.nir"));
        assertTrue(e.getMessage().contains("pn.nir layer 0 tau_syn neuron 1: no learnable time constant gives the decay"
                + " factor 0.8888075 per step exactly (sigmoid of a float32); without --learn_tau, --per_neuron keeps"
                + " the file's decays exactly (fixed)"), e.getMessage());
    }

    /** LIF layers stay per layer: a CubaLIF whose neurons' time constants differ is refused naming the node. */
    @Test
    void aLifGraphWithPerNeuronTimeConstantsIsRefused() {
        NirGraph graph = NirFixtures.fixedGraph();
        ((NirNode.CubaLif) graph.nodes().get("lif1")).tauMem()[3] *= 1.5;
        NetworkConfig config = new NetworkConfig(NeuronType.LIF, 20, 10, 2, 4, NirFixtures.FIXED_TAU_MEM,
                NirFixtures.FIXED_TAU_SYN);
        SpsnException e = assertThrows(SpsnException.class, () -> NirSimulationTest.importAs(graph, config, "m.nir"));
        assertEquals(SpsnException.DATA, e.exitCode());
        assertTrue(e.getMessage().contains("node lif1 has time constants that differ between its neurons; a LIF"
                + " network's layers have one tau_syn and one tau_mem each"), e.getMessage());
    }

    /**
     * A recurrent graph of NIR's writer (one cycle through a Linear, one through an Affine with a
     * bias; per-neuron thresholds): as SPSN's LIF (threshold 1, thresholds folded into the rows)
     * and as LIF-LT (learnable threshold), both fire as NIR's equations say.
     */
    @Test
    void aRecurrentGraphWrittenByNirsWriterImportsAndRunsAsNirsEquationsSay() {
        Path file = NirFixtures.file("recurrent_by_nir.nir");
        NirImport.Imported imported = NirImport.read(NirFile.read(file), file.toString());
        assertTrue(imported.recurrent());
        JsonNode expected = NirFixtures.json("recurrent_by_nir.expected.json");
        for (NeuronType neuron : List.of(NeuronType.LIF, NeuronType.LIF_LT)) {
            NetworkConfig config = new NetworkConfig(neuron, 20, 10, 2, 4, imported.toolTauMem(), imported.toolTauSyn(),
                    RECURRENT);
            StateDict params = NirSimulationTest.importAs(NirFile.read(file), config, file.toString());
            checkAgainst(expected, config, params, List.of("lif0", "lif1", "li2"));
        }
    }

    /**
     * Export, write, read, import as the same network: every tensor back bit for bit (learned raw
     * time constants: the same decay factors, which is all the network uses), so the network's
     * outputs are identical.
     */
    @ParameterizedTest
    @ValueSource(strings = {"paralif_t_model", "recurrent_lif_model", "lif_lt_model", "paralif_t_pn_model"})
    void exportThenImportGivesTheSameNetwork(String model) {
        Path file = tmp.resolve(model + ".nir");
        NirFile.write(file, NirFixtures.exported(model, manager));
        NetworkConfig config = config(model);
        StateDict original = NirFixtures.model(model);
        StateDict back = NirSimulationTest.importAs(NirFile.read(file), config, file.toString());
        assertEquals(original.keys().stream().sorted().toList(), back.keys().stream().sorted().toList());
        for (String key : original.keys()) {
            Tensor a = original.get(key);
            Tensor b = back.get(key);
            assertArrayEquals(a.shape(), b.shape(), key);
            if (config.options().learnTau() && (key.endsWith("._alpha") || key.endsWith("._beta"))) {
                assertArrayEquals(LearnedDecay.decays(manager, a.data(), a.shape()),
                        LearnedDecay.decays(manager, b.data(), b.shape()), 0f, key);
            } else {
                assertArrayEquals(a.data(), b.data(), 0f, key);
            }
        }
        NDArray input = NirFixtures.input(manager);
        assertArrayEquals(output(config, original, input), output(config, back, input), 0f);
    }

    /**
     * SPSN's LIF with a fixed --spk_threshold: v_threshold is that threshold; imported at the
     * same threshold the weights come back bit for bit, at the default 1 every row is scaled by
     * 1/0.5 (the same neuron on the membrane v/0.5), so the network fires the same spikes.
     */
    @Test
    void aFixedThresholdIsWrittenAndFoldedIntoTheRowsWhereTheNetworkDiffers() {
        NeuronOptions half = new NeuronOptions(false, false, false, 0.5, Surrogate.DEFAULT);
        TrainedModel trained = new TrainedModel(NirFixtures.fixedModel(), NeuronType.LIF, NirFixtures.FIXED_TAU_MEM,
                NirFixtures.FIXED_TAU_SYN, half, "flags");
        NirGraph graph = NirExport.graph(trained, null, "fixed_model.pt");
        assertEquals(0.5, ((NirNode.CubaLif) graph.nodes().get("lif1")).vThreshold()[7]);
        NetworkConfig atHalf = new NetworkConfig(NeuronType.LIF, 20, 10, 2, 4, NirFixtures.FIXED_TAU_MEM,
                NirFixtures.FIXED_TAU_SYN, half);
        StateDict same = NirSimulationTest.importAs(graph, atHalf, "m.nir");
        StateDict original = NirFixtures.fixedModel();
        for (String key : original.keys()) {
            assertArrayEquals(original.get(key).data(), same.get(key).data(), 0f, key);
        }
        NetworkConfig atOne = new NetworkConfig(NeuronType.LIF, 20, 10, 2, 4, NirFixtures.FIXED_TAU_MEM,
                NirFixtures.FIXED_TAU_SYN);
        StateDict scaled = NirSimulationTest.importAs(graph, atOne, "m.nir");
        assertEquals(2 * original.get("0.fc.weight").data()[3], scaled.get("0.fc.weight").data()[3], 0f);
        assertArrayEquals(original.get("2.fc.bias").data(), scaled.get("2.fc.bias").data(), 0f, "output layer");
        NDArray input = NirFixtures.input(manager);
        NDArray spikesHalf = LifDynamics.recurrentSpikesTimeMajor(
                NirFixtures.dense(manager, same, "0.fc.", input).transpose(1, 0, 2), Scalars.of(input, atHalf.decay().alpha()),
                Scalars.of(input, atHalf.decay().beta()), Scalars.of(input, 1f - atHalf.decay().beta()),
                Scalars.of(input, 0.5f), Surrogate.DEFAULT, s -> s.zerosLike(), false);
        NDArray spikesOne = LifDynamics.fire(NirFixtures.dense(manager, scaled, 0, input), atOne.decay()).spikes();
        assertArrayEquals(spikesHalf.transpose(1, 0, 2).toFloatArray(), spikesOne.toFloatArray(), 0f);
    }

    @Test
    void graphsOfAnotherNetworkAreRefusedWithTheFlagsToGive() {
        NirGraph recurrent = NirFile.read(NirFixtures.file("recurrent_by_nir.nir"));
        NirImport.Imported r = NirImport.read(recurrent, "r.nir");
        SpsnException ff = assertThrows(SpsnException.class, () -> NirSimulationTest.importAs(recurrent,
                new NetworkConfig(NeuronType.LIF, 20, 10, 2, 4, r.toolTauMem(), r.toolTauSyn()), "r.nir"));
        assertTrue(ff.getMessage().contains("holds a recurrent LIF network (CubaLIF)"), ff.getMessage());
        assertTrue(ff.getMessage().endsWith("run with --recurrent (without --recurrent_relu)"), ff.getMessage());

        NirGraph paraLif = NirFixtures.exported("paralif_t_model", manager);
        SpsnException lif = assertThrows(SpsnException.class, () -> NirSimulationTest.importAs(paraLif,
                new NetworkConfig(NeuronType.LIF, 20, 10, 2, 4, 0.03, 0.01), "p.nir"));
        assertTrue(lif.getMessage().contains("holds a ParaLIF-T network (CubaLI then Threshold)"), lif.getMessage());
        assertTrue(lif.getMessage().endsWith("run with --neuron ParaLIF-T"), lif.getMessage());

        NirGraph learned = NirFixtures.exported("lif_lt_model", manager);
        SpsnException tau = assertThrows(SpsnException.class, () -> NirSimulationTest.importAs(learned,
                new NetworkConfig(NeuronType.LIF_LT, 20, 10, 2, 4, 0.02, 0.02, RECURRENT), "l.nir"));
        assertTrue(tau.getMessage().endsWith("run with --learn_tau (its layers have time constants of their own)"),
                tau.getMessage());
    }

    /** A cycle that is not a neuron's own recurrent map (here: the last hidden layer back into the first Affine). */
    @Test
    void otherCyclesAreRefusedNamingTheNode() {
        NirGraph graph = NirFixtures.fixedGraph();
        List<NirGraph.Edge> edges = new ArrayList<>(graph.edges());
        edges.add(new NirGraph.Edge("lif1", "fc0"));
        Map<String, NirNode> nodes = new LinkedHashMap<>(graph.nodes());
        SpsnException e = assertThrows(SpsnException.class,
                () -> NirImport.read(new NirGraph(nodes, edges), "c.nir"));
        assertTrue(e.getMessage().contains("node fc0 (Affine) has 2 inputs (input, lif1): a merging connection"),
                e.getMessage());
    }

    // ---- this tool's side ---------------------------------------------------------------------

    /** Hidden spikes layer by layer (the dynamics functions this tool's layers call), then the whole network. */
    private static void checkAgainst(JsonNode expected, NetworkConfig config, StateDict params, List<String> nodes) {
        NDArray input = NirFixtures.input(manager);
        NDArray h = input;
        for (int i = 0; i < 2; i++) {
            h = hiddenSpikes(config, params, i, h);
            NirFixtures.assertSpikesEqual(nodes.get(i), NirFixtures.flat3d(expected.get("spikes_" + nodes.get(i))), h);
        }
        NirFixtures.assertScaled(nodes.get(2), NirFixtures.flat3d(expected.get("output_" + nodes.get(2))),
                output(config, params, input), NirSimulationTest.OUTPUT_TOLERANCE);
    }

    static float[] output(NetworkConfig config, StateDict params, NDArray input) {
        try (Network network = Network.create(manager, config, 1)) {
            ModelFiles.load(network, params, "fixture");
            NoiseSource none = null;
            return network.forward(input, none).output().toFloatArray();
        }
    }

    /** Hidden layer {@code i}'s spikes [B, T, H] for its input [B, T, in]. */
    static NDArray hiddenSpikes(NetworkConfig config, StateDict params, int i, NDArray input) {
        NeuronType neuron = config.neuron();
        String p = Network.neuronPrefix(neuron, i);
        NDArray current = NirFixtures.dense(manager, params, Network.parameterPrefix(neuron, i), input).transpose(1, 0, 2);
        if (config.options().perNeuron()) {
            // [H] decays (sigmoids of the raw tensors, or the fixed buffers) and thresholds
            Tensor a = params.get(p + "_alpha");
            Tensor b = params.get(p + "_beta");
            boolean learned = config.options().learnTau();
            NDArray alpha = manager.create(learned ? LearnedDecay.decays(manager, a.data(), a.shape()) : a.data());
            NDArray beta = manager.create(learned ? LearnedDecay.decays(manager, b.data(), b.shape()) : b.data());
            NDArray theta = manager.create(params.get(p + "_spk_threshold").data()).maximum(0f);
            return ParallelDynamics.fire(current, new ParallelDynamics.Layer(
                    x -> LeakyIntegrator.integrateTimeMajor(x, alpha, beta), neuron.spikeFunction(Surrogate.DEFAULT),
                    theta, null, false), null).spikes().transpose(1, 0, 2);
        }
        Decay decay = config.options().learnTau()
                ? new Decay(LearnedDecay.decay(manager, params.get(p + "_alpha").data()[0]),
                        LearnedDecay.decay(manager, params.get(p + "_beta").data()[0]))
                : config.decay();
        float threshold = neuron.family().learnsThreshold() ? Math.max(0f, params.get(p + "_spk_threshold").data()[0])
                : (float) config.options().threshold(neuron);
        NDArray spikes;
        if (neuron == NeuronType.PARALIF_T) {
            LeakyIntegrator integrator = new LeakyIntegrator(decay, manager);
            spikes = ParallelDynamics.fire(current, new ParallelDynamics.Layer(integrator::integrateTimeMajor,
                    neuron.spikeFunction(Surrogate.DEFAULT), manager.create(threshold), null, false), null).spikes();
        } else {
            NDArray w = manager.create(params.get(p + "fc_recu.weight").data(), new ai.djl.ndarray.types.Shape(params.get(p + "fc_recu.weight").shape()));
            NDArray b = manager.create(params.get(p + "fc_recu.bias").data());
            spikes = LifDynamics.recurrentSpikesTimeMajor(current, Scalars.of(current, decay.alpha()),
                    Scalars.of(current, decay.beta()), Scalars.of(current, 1f - decay.beta()),
                    Scalars.of(current, threshold), Surrogate.DEFAULT, s -> s.matMul(w.transpose()).add(b), false);
        }
        return spikes.transpose(1, 0, 2);
    }
}
