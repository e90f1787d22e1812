package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import spsn.io.StateDict;
import spsn.io.TorchStateDictReader;
import spsn.nir.NirFile;
import spsn.nir.NirImport;
import spsn.train.RunInterruptedException;
import spsn.train.RunSettings;
import spsn.train.TrainingRun;

/** spsn export --to nir and --load_model model.nir through the command line. */
class NirCliTest {

    private static final Path PUBLISHED = Path.of("..", "shared", "models", "basic");

    @TempDir
    Path tmp;

    /**
     * Train, export with the flags read from the run's results file, then evaluate the NIR file:
     * the same predictions (accuracy, spike counts, confusion matrix) as the trained model; and
     * fine-tuning from the NIR file trains.
     */
    @Test
    void exportThenLoadTheNirFileTestsExactlyAsTrained() throws IOException {
        Path trainedDir = tmp.resolve("trained");
        Cli.small("--seed", "5", "--neuron", "LIF", "--nb_layers", "2", "--tau_mem", "0.03", "--tau_syn", "0.01",
                "--nb_epochs", "2", "--save_model", "True", "--output_dir", trainedDir.toString()).assertOk();
        Path model = Cli.onlyFile(trainedDir, "model_LIF_", ".pt");
        JsonNode trained = Cli.json(Cli.onlyFile(trainedDir, "results_LIF_", ".json"));

        Path nir = tmp.resolve("model.nir");
        Cli.Result exported = Cli.run("export", "--to", "nir", model.toString(), "-o", nir.toString()).assertOk();
        assertTrue(exported.out().contains("Wrote " + nir + ": 8 nodes, 7 edges (LIF, tau_mem 0.03 s, tau_syn 0.01 s"
                + " from " + Cli.onlyFile(trainedDir, "results_LIF_", ".json")), exported.out());

        Path testedDir = tmp.resolve("tested");
        Cli.Result tested = Cli.small("--seed", "5", "--neuron", "LIF", "--nb_layers", "2", "--tau_mem", "0.03",
                "--tau_syn", "0.01", "--nb_epochs", "0", "--load_model", nir.toString(),
                "--output_dir", testedDir.toString()).assertOk();
        assertTrue(tested.out().contains("Loaded model " + nir), tested.out());
        JsonNode results = Cli.json(Cli.onlyFile(testedDir, "results_LIF_", ".json"));
        assertEquals(trained.get("test_accuracies"), results.get("test_accuracies"));
        assertEquals(trained.get("nb_spikes"), results.get("nb_spikes"));
        assertEquals(trained.get("test_confusion"), results.get("test_confusion"));

        Cli.small("--seed", "6", "--neuron", "LIF", "--nb_layers", "2", "--tau_mem", "0.03", "--tau_syn", "0.01",
                "--nb_epochs", "1", "--load_model", nir.toString(), "--output_dir", tmp.resolve("tuned").toString())
                .assertOk();
        assertEquals(1, Cli.json(Cli.onlyFile(tmp.resolve("tuned"), "results_LIF_", ".json")).get("loss_hist").size());

        // the NIR file does not describe a network of other flags
        Cli.small("--neuron", "LIF", "--nb_layers", "2", "--tau_mem", "0.02", "--tau_syn", "0.01", "--nb_epochs", "0",
                "--load_model", nir.toString(), "--output_dir", tmp.resolve("x").toString())
                .assertError(1, nir.toString(), "tau_mem 0.0300000 s", "run with --tau_mem 0.0300000");
        // an existing output is never replaced
        Cli.run("export", "--to", "nir", model.toString(), "-o", nir.toString())
                .assertError(1, nir + " already exists");
    }

    @Test
    void flagsGivenMustAgreeWithTheRunsFilesAndAreNeededWithoutThem() throws IOException {
        Path bare = Files.copy(Cli.resource("nir/fixed_model.pt"), tmp.resolve("net.pt"));
        Cli.run("export", "--to", "nir", bare.toString())
                .assertError(2, "no results or checkpoint file of the run that made " + bare, "give --neuron");
        Cli.run("export", "--to", "nir", bare.toString(), "--neuron", "LIF", "--tau_mem", "0.03", "--tau_syn", "0.01")
                .assertOk();
        assertTrue(Files.isRegularFile(tmp.resolve("net.nir")), "default output beside the model");
        Cli.run("export", "--to", "onnx", bare.toString()).assertError(2, "--to: unknown format 'onnx'");
    }

    /** The original authors' models: LIF exports (flags from the results file beside it); the others are refused. */
    @Test
    void publishedModelsExportOrAreRefusedNamingTheNeuron() {
        assumeTrue(Files.isDirectory(PUBLISHED), "../shared/models is absent (published models)");
        Path lif = PUBLISHED.resolve("model_LIF_1675938986.pt");
        Cli.run("export", "--to", "nir", lif.toString(), "-o", tmp.resolve("lif.nir").toString()).assertOk();
        Cli.run("export", "--to", "nir", PUBLISHED.resolve("model_SPSN-SB_1675889673.pt").toString(),
                "-o", tmp.resolve("sb.nir").toString())
                .assertError(1, "cannot export to NIR: SPSN-SB neurons fire at random",
                        "LIF and LIF-LT (feed-forward or --recurrent) and feed-forward ParaLIF-T networks export");
        Cli.run("export", "--to", "nir", PUBLISHED.resolve("model_Non-Spiking_1675888688.pt").toString(),
                "-o", tmp.resolve("ns.nir").toString())
                .assertError(1, "cannot export to NIR: Non-Spiking networks use ReLU units");
        assertTrue(!Files.exists(tmp.resolve("sb.nir")) && !Files.exists(tmp.resolve("ns.nir")));
    }

    /** Other HDF5 files, and files that are not HDF5 at all, named .nir: one line each. */
    @Test
    void filesThatAreNotNirGraphsAreRefusedInOneLine() throws IOException {
        Path shd = Cli.resource("shd/bad_label.h5");
        Cli.small("--neuron", "LIF", "--nb_epochs", "0", "--load_model", shd.toString(),
                "--output_dir", tmp.resolve("a").toString())
                .assertError(1, "model file " + shd + " is not a NIR graph: /node is missing");
        Path text = Files.writeString(tmp.resolve("notes.nir"), "not a graph\n");
        Cli.small("--neuron", "LIF", "--nb_epochs", "0", "--load_model", text.toString(),
                "--output_dir", tmp.resolve("b").toString())
                .assertError(1, "model file " + text + ": cannot read it as a NIR file");
    }

    /** A recurrent graph loaded by a feed-forward network: one line with the flag to give. */
    @Test
    void aRecurrentNirGraphNeedsTheRecurrentFlag() {
        Path recurrent = Cli.resource("nir/recurrent_by_nir.nir");
        Cli.small("--neuron", "LIF", "--nb_epochs", "0", "--load_model", recurrent.toString(),
                "--output_dir", tmp.resolve("out").toString())
                .assertError(1, recurrent.toString(), "holds a recurrent LIF network (CubaLIF)",
                        "run with --recurrent (without --recurrent_relu)");
    }

    /**
     * The new mappings end to end: train, export (every flag from the results file), evaluate the
     * NIR file: the same test accuracy, spike counts and confusion matrix as the trained model;
     * fine-tuning from it trains. ParaLIF-T (learned thresholds), LIF with --recurrent and
     * --learn_tau, LIF-LT with --recurrent and --learn_tau (learned thresholds too), ParaLIF-T
     * --per_neuron with fixed and with learned time constants (a threshold, and a pair of decays,
     * per neuron). The model the evaluation saves holds the trained tensors bit for bit (learned
     * raw time constants: the same decays, computed over the whole tensor as the network does).
     */
    @ParameterizedTest
    @CsvSource({"ParaLIF-T,'',10 nodes, 9 edges", "LIF,--recurrent --learn_tau,10 nodes, 11 edges",
            "LIF-LT,--recurrent --learn_tau,10 nodes, 11 edges", "ParaLIF-T,--per_neuron,10 nodes, 9 edges",
            "ParaLIF-T,--per_neuron --learn_tau,10 nodes, 9 edges"})
    void newMappingsExportThenLoadTestingExactlyAsTrained(String neuron, String options, String nodes, String edges)
            throws IOException {
        List<String> flags = new ArrayList<>(List.of("--seed", "5", "--neuron", neuron, "--nb_layers", "2",
                "--tau_mem", "0.03", "--tau_syn", "0.01"));
        if (!options.isEmpty()) {
            flags.addAll(List.of(options.split(" ")));
        }
        Path trainedDir = tmp.resolve("trained");
        Cli.small(with(flags, "--nb_epochs", "2", "--save_model", "True", "--output_dir", trainedDir.toString())).assertOk();
        Path model = Cli.onlyFile(trainedDir, "model_" + neuron + "_", ".pt");
        JsonNode trained = Cli.json(Cli.onlyFile(trainedDir, "results_" + neuron + "_", ".json"));
        Path nir = tmp.resolve("model.nir");
        Cli.Result exported = Cli.run("export", "--to", "nir", model.toString(), "-o", nir.toString()).assertOk();
        assertTrue(exported.out().contains("Wrote " + nir + ": " + nodes + ", " + edges + " (" + neuron), exported.out());
        assertEquals(options.contains("learn_tau"), exported.out().contains("learned time constants"), exported.out());
        assertEquals(options.contains("per_neuron"), exported.out().contains("per neuron"), exported.out());

        Path testedDir = tmp.resolve("tested");
        Cli.small(with(flags, "--nb_epochs", "0", "--load_model", nir.toString(), "--save_model", "True",
                "--output_dir", testedDir.toString())).assertOk();
        JsonNode results = Cli.json(Cli.onlyFile(testedDir, "results_" + neuron + "_", ".json"));
        assertEquals(trained.get("test_accuracies"), results.get("test_accuracies"));
        assertEquals(trained.get("nb_spikes"), results.get("nb_spikes"));
        assertEquals(trained.get("test_confusion"), results.get("test_confusion"));
        StateDict before = TorchStateDictReader.read(model);
        StateDict after = TorchStateDictReader.read(Cli.onlyFile(testedDir, "model_" + neuron + "_", ".pt"));
        assertEquals(before.keys(), after.keys());
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            for (String key : before.keys()) {
                spsn.io.Tensor a = before.get(key);
                spsn.io.Tensor b = after.get(key);
                assertArrayEquals(a.shape(), b.shape(), key);
                boolean rawTau = options.contains("learn_tau") && (key.endsWith("._alpha") || key.endsWith("._beta"));
                assertArrayEquals(rawTau ? spsn.model.LearnedDecay.decays(manager, a.data(), a.shape()) : a.data(),
                        rawTau ? spsn.model.LearnedDecay.decays(manager, b.data(), b.shape()) : b.data(), 0f, key);
            }
        }
        if (options.equals("--per_neuron --learn_tau")) {
            // per-neuron time constants need a per-neuron network
            List<String> perLayer = new ArrayList<>(flags);
            perLayer.remove("--per_neuron");
            Cli.small(with(perLayer, "--nb_epochs", "0", "--load_model", nir.toString(), "--output_dir",
                    tmp.resolve("x").toString())).assertError(1, nir.toString(), "run with --per_neuron");
        }

        Cli.small(with(flags, "--nb_epochs", "1", "--load_model", nir.toString(), "--output_dir",
                tmp.resolve("tuned").toString())).assertOk();
        assertEquals(1, Cli.json(Cli.onlyFile(tmp.resolve("tuned"), "results_" + neuron + "_", ".json"))
                .get("loss_hist").size());
    }

    /** Trained networks without a NIR primitive are refused naming what has none, nothing written. */
    @Test
    void trainedNetworksWithoutANirPrimitiveAreRefusedNamingIt() throws IOException {
        Path dir = tmp.resolve("trained");
        Cli.small("--seed", "5", "--neuron", "ParaLIF-T", "--nb_layers", "1", "--recurrent", "--nb_epochs", "1",
                "--save_model", "True", "--output_dir", dir.toString()).assertOk();
        Path model = Cli.onlyFile(dir, "model_ParaLIF-T_", ".pt");
        Cli.run("export", "--to", "nir", model.toString(), "-o", tmp.resolve("r.nir").toString())
                .assertError(1, model + ": cannot export to NIR: ParaLIF's recurrence (--recurrent");
        Cli.small("--seed", "5", "--neuron", "ParaLIF-SD", "--nb_layers", "1", "--nb_epochs", "1",
                "--save_model", "True", "--output_dir", dir.toString()).assertOk();
        Path delta = Cli.onlyFile(dir, "model_ParaLIF-SD_", ".pt");
        Cli.run("export", "--to", "nir", delta.toString(), "-o", tmp.resolve("d.nir").toString())
                .assertError(1, "cannot export to NIR: ParaLIF-SD neurons fire on the rise of their normalised membrane");
        assertTrue(!Files.exists(tmp.resolve("r.nir")) && !Files.exists(tmp.resolve("d.nir")));
        // without the run's files, what the tensors cannot tell is asked for
        Path bare = Files.copy(model, tmp.resolve("bare.pt"));
        Cli.run("export", "--to", "nir", bare.toString(), "--neuron", "ParaLIF-T", "--tau_mem", "0.02",
                "--tau_syn", "0.02").assertError(2, "give --learn_tau True or False");
    }

    /**
     * A checkpoint of a recurrent LIF-LT run with learned time constants exports with the ParaLIF
     * flags of its own settings: the cycle and the learned decays, and imported
     * as that network every tensor comes back (raw time constants: the same decays).
     */
    @Test
    void aParaLifCheckpointExportsWithItsOwnNeuronOptions() throws IOException {
        Path dir = tmp.resolve("run");
        RunSettings settings = TrainingFlags.check(List.of("--seed", "11", "--dataset", "synthetic", "--neuron", "LIF-LT",
                "--nb_epochs", "3", "--tau_mem", "0.025", "--tau_syn", "0.015", "--batch_size", "16", "--hidden_size",
                "16", "--nb_layers", "2", "--learn_tau", "--recurrent", "--output_dir", dir.toString(), "--device", "cpu",
                "--synthetic_train", "32", "--synthetic_test", "16", "--progress", "False"));
        AtomicInteger asked = new AtomicInteger();
        TrainingRun run = new TrainingRun(settings, new PrintWriter(new StringWriter()), "test")
                .stopWhen(() -> asked.incrementAndGet() >= 3);
        assertThrows(RunInterruptedException.class, run::run);
        Path checkpoint = Cli.onlyFile(dir, "checkpoint_LIF-LT_", ".json");
        Path nir = tmp.resolve("checkpoint.nir");
        Cli.Result exported = Cli.run("export", "--to", "nir", checkpoint.toString(), "-o", nir.toString()).assertOk();
        assertTrue(exported.out().contains("(LIF-LT, tau_mem 0.025 s, tau_syn 0.015 s, learned time constants, recurrent"
                + " from " + checkpoint), exported.out());
        NirImport.Imported imported = NirImport.read(NirFile.read(nir), nir.toString());
        assertTrue(imported.recurrent());
        StateDict tensors = TorchStateDictReader.read(dir.resolve(Cli.json(checkpoint).get("tensors").asText()));
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            for (int i = 0; i < 3; i++) {
                float raw = tensors.get("model." + (2 * i + 1) + "._beta").data()[0];
                assertEquals(spsn.model.LearnedDecay.decay(manager, raw), imported.at(null).get(i).beta()[0], 0f,
                        "layer " + i + ": sigmoid of the learned raw _beta");
            }
        }
        // and the flags given must agree with the checkpoint's
        Cli.run("export", "--to", "nir", checkpoint.toString(), "-o", tmp.resolve("x.nir").toString(),
                "--learn_tau", "False").assertError(2, "--learn_tau false contradicts " + checkpoint);
    }

    private static String[] with(List<String> flags, String... more) {
        List<String> all = new ArrayList<>(flags);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /**
     * A checkpoint (what an interrupted run leaves) exports too, its flags from its own JSON: the
     * graph holds the checkpoint's model tensors bit for bit.
     */
    @Test
    void aCheckpointExportsWithItsOwnSettings() throws IOException {
        Path dir = tmp.resolve("run");
        RunSettings settings = TrainingFlags.check(List.of("--seed", "11", "--dataset", "synthetic", "--neuron",
                "LIF", "--nb_epochs", "3", "--tau_mem", "0.025", "--tau_syn", "0.015", "--batch_size", "16",
                "--hidden_size", "16", "--nb_layers", "2", "--output_dir", dir.toString(), "--device", "cpu",
                "--synthetic_train", "32", "--synthetic_test", "16", "--progress", "False"));
        AtomicInteger asked = new AtomicInteger();
        TrainingRun run = new TrainingRun(settings, new PrintWriter(new StringWriter()), "test")
                .stopWhen(() -> asked.incrementAndGet() >= 3);
        assertThrows(RunInterruptedException.class, run::run);
        Path checkpoint = Cli.onlyFile(dir, "checkpoint_LIF_", ".json");
        Path nir = tmp.resolve("checkpoint.nir");
        Cli.Result exported = Cli.run("export", "--to", "nir", checkpoint.toString(), "-o", nir.toString()).assertOk();
        assertTrue(exported.out().contains("tau_mem 0.025 s, tau_syn 0.015 s from " + checkpoint), exported.out());

        StateDict tensors = TorchStateDictReader.read(dir.resolve(Cli.json(checkpoint).get("tensors").asText()));
        StateDict back = NirImport.read(NirFile.read(nir), nir.toString()).parameters();
        for (String key : back.keys()) {
            assertArrayEquals(tensors.get("model." + key).data(), back.get(key).data(), 0f, key);
        }
        assertEquals(6, back.size());
    }
}
