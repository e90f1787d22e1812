package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spsn.SharedModels;
import spsn.io.StateDict;
import spsn.io.Tensor;
import spsn.io.TorchStateDictReader;
import spsn.io.TorchStateDictWriter;

/** --save_model and --load_model through the command line, with our files and the published ones. */
class ModelFileCliTest {

    @TempDir
    Path tmp;

    /**
     * Training writes the model and tests it; loading that file and only testing (same seed, so
     * the same data and the same neuron noise in the test pass) must give the same test
     * numbers, bit for bit.
     */
    @Test
    void aSavedModelLoadsBackAndTestsExactlyAsTrained() throws IOException {
        Path trainedDir = tmp.resolve("trained");
        Cli.small("--seed", "5", "--neuron", "SPSN-GS", "--nb_epochs", "2", "--save_model", "True",
                "--output_dir", trainedDir.toString()).assertOk();
        Path model = Cli.onlyFile(trainedDir, "model_SPSN-GS_", ".pt");
        JsonNode trained = Cli.json(Cli.onlyFile(trainedDir, "results_SPSN-GS_", ".json"));
        assertEquals(List.of("0.fc.weight", "0.fc.bias", "1.fc.weight", "1.fc.bias", "2.fc.weight", "2.fc.bias",
                "3.fc.weight", "3.fc.bias"), TorchStateDictReader.read(model).keys());

        Path testedDir = tmp.resolve("tested");
        Cli.Result tested = Cli.small("--seed", "5", "--neuron", "SPSN-GS", "--nb_epochs", "0",
                "--load_model", model.toString(), "--output_dir", testedDir.toString()).assertOk();
        assertTrue(tested.out().contains("Loaded model " + model), tested.out());
        JsonNode results = Cli.json(Cli.onlyFile(testedDir, "results_SPSN-GS_", ".json"));
        assertEquals(trained.get("test_accuracies"), results.get("test_accuracies"));
        assertEquals(trained.get("nb_spikes"), results.get("nb_spikes"));
        assertEquals(trained.get("test_confusion"), results.get("test_confusion"));
        assertEquals(trained.get("test_predictions"), results.get("test_predictions"));
        // Test only: an empty history, and nothing else left in the folder.
        for (String key : List.of("loss_hist", "train_accuracies", "epoch_durations")) {
            assertTrue(results.get(key).isArray() && results.get(key).isEmpty(), key + ": " + results.get(key));
        }
        assertEquals(0.0, results.get("train_duration").asDouble());
        assertFalse(results.get("partial").asBoolean());
        assertEquals(0, results.get("PARAMS").get("nb_epochs").asInt());
        assertEquals(model.toString(), results.get("PARAMS").get("load_model").asText());
        try (Stream<Path> files = Files.list(testedDir)) {
            assertEquals(1, files.count(), "only the results file");
        }
    }

    /** The original authors' ten models (hidden 128, 3 layers) load and test on synthetic SHD-shaped data. */
    @Test
    void everyPublishedModelLoadsIntoItsArchitectureAndTests() throws IOException {
        List<Path> models;
        try (Stream<Path> walk = Files.walk(SharedModels.require())) {
            models = walk.filter(p -> p.getFileName().toString().matches("model_.*\\.pt")).sorted().toList();
        }
        assertEquals(10, models.size(), models.toString());
        int run = 0;
        for (Path model : models) {
            String name = model.getFileName().toString();
            String neuron = name.substring("model_".length(), name.lastIndexOf('_'));
            Path out = tmp.resolve("run" + run++);
            Cli.Result result = Cli.run("--dataset", "synthetic", "--synthetic_train", "1", "--synthetic_test", "8",
                    "--progress", "False", "--seed", "0", "--neuron", neuron, "--nb_epochs", "0",
                    "--load_model", model.toString(), "--output_dir", out.toString());
            assertEquals(0, result.code(), model + ": " + result.err());
            JsonNode results = Cli.json(Cli.onlyFile(out, "results_" + neuron + "_", ".json"));
            double accuracy = results.get("test_accuracies").asDouble();
            assertTrue(accuracy >= 0 && accuracy <= 1, model + ": " + accuracy);
            assertEquals(neuron.equals("Non-Spiking") ? 0 : 3, results.get("nb_spikes").size(), model.toString());
        }
    }

    // ---- --load_model problems: exit code 1, one line naming the file ---------------------

    private Cli.Result load(Path model, String... more) {
        List<String> args = new ArrayList<>(List.of("--dataset", "synthetic", "--synthetic_train", "1",
                "--synthetic_test", "1", "--progress", "False", "--nb_epochs", "0", "--load_model", model.toString(),
                "--output_dir", tmp.resolve("out").toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void missingModelFile() {
        Path missing = tmp.resolve("nope.pt");
        load(missing).assertError(1, "model file " + missing, "does not exist");
    }

    @Test
    void fileThatIsNotAPyTorchModel() throws IOException {
        Path text = Files.writeString(tmp.resolve("notes.pt"), "not a model\n");
        load(text).assertError(1, text.toString(), "is not a PyTorch model file");
    }

    @Test
    void legacyPyTorchFormat() {
        Path legacy = Cli.resource("io/torch_legacy.pt");
        load(legacy).assertError(1, legacy.toString(), "legacy torch.save format");
    }

    @Test
    void missingKey() throws IOException {
        StateDict dict = spikingDict(16, 3);
        StateDict without = new StateDict();
        for (String key : dict.keys()) {
            if (!key.equals("3.fc.bias")) {
                without.put(key, dict.get(key));
            }
        }
        Path file = tmp.resolve("missing_key.pt");
        TorchStateDictWriter.write(file, without);
        load(file, "--neuron", "LIF", "--hidden_size", "16").assertError(1, file.toString(), "has no key 3.fc.bias");
    }

    @Test
    void shapeMismatchNamesTheKeyBothShapesAndTheFlag() throws IOException {
        Path lif = write("lif128.pt", spikingDict(128, 3));
        load(lif, "--neuron", "LIF", "--hidden_size", "16").assertError(1, lif.toString(),
                "key 0.fc.weight has shape [128, 700] but this network needs [16, 700]", "--hidden_size 128");
    }

    @Test
    void spikingFileWithNonSpikingNeuron() throws IOException {
        Path lif = write("lif.pt", spikingDict(16, 3));
        load(lif, "--neuron", "Non-Spiking", "--hidden_size", "16").assertError(1, lif.toString(),
                "holds a spiking network", "--neuron Non-Spiking", "use --neuron LIF, SPSN-SB or SPSN-GS");
    }

    @Test
    void nonSpikingFileWithSpikingNeuron() throws IOException {
        Path nonSpiking = write("non_spiking.pt", nonSpikingDict(16, 3));
        load(nonSpiking, "--neuron", "SPSN-SB", "--hidden_size", "16").assertError(1, nonSpiking.toString(),
                "holds a Non-Spiking network", "--neuron SPSN-SB", "use --neuron Non-Spiking");
    }

    @Test
    void layerCountMismatch() throws IOException {
        Path sb = write("sb.pt", spikingDict(16, 3));
        load(sb, "--neuron", "SPSN-SB", "--nb_layers", "2", "--hidden_size", "16").assertError(1, sb.toString(),
                "holds 4 layers (3 hidden + output)", "--nb_layers 2", "run with --nb_layers 3");
    }

    /** The published models give the same messages (they are what users load most). */
    @Test
    void publishedModelsGiveTheSameMessages() {
        Path lif = SharedModels.require("basic/model_LIF_1675938986.pt");
        Path nonSpiking = SharedModels.require("basic/model_Non-Spiking_1675888688.pt");
        load(lif, "--neuron", "LIF", "--hidden_size", "16").assertError(1, lif.toString(),
                "key 0.fc.weight has shape [128, 700] but this network needs [16, 700]", "--hidden_size 128");
        load(nonSpiking, "--neuron", "SPSN-SB").assertError(1, nonSpiking.toString(), "holds a Non-Spiking network");
        load(lif, "--neuron", "SPSN-SB", "--nb_layers", "2").assertError(1, lif.toString(), "holds 4 layers");
    }

    private Path write(String name, StateDict dict) throws IOException {
        Path file = tmp.resolve(name);
        TorchStateDictWriter.write(file, dict);
        return file;
    }

    @Test
    void nonFiniteWeights() throws IOException {
        StateDict dict = spikingDict(16, 3);
        dict.get("1.fc.weight").data()[7] = Float.NaN;
        Path file = tmp.resolve("nan.pt");
        TorchStateDictWriter.write(file, dict);
        load(file, "--neuron", "SPSN-GS", "--hidden_size", "16").assertError(1, file.toString(),
                "key 1.fc.weight holds NaN values", "damaged");
    }

    /** A spiking network's state_dict for 700 inputs and 20 classes, with small random values. */
    private static StateDict spikingDict(int hidden, int layers) {
        SplittableRandom random = new SplittableRandom(1);
        StateDict dict = new StateDict();
        int in = 700;
        for (int i = 0; i <= layers; i++) {
            int out = i == layers ? 20 : hidden;
            dict.put(i + ".fc.weight", Tensor.of(values(random, out * in), out, in));
            dict.put(i + ".fc.bias", Tensor.of(values(random, out), out));
            in = out;
        }
        return dict;
    }

    /** A Non-Spiking network's state_dict: Linear layers at the even indices (ReLUs between). */
    private static StateDict nonSpikingDict(int hidden, int layers) {
        StateDict spiking = spikingDict(hidden, layers);
        StateDict dict = new StateDict();
        for (int i = 0; i <= layers; i++) {
            dict.put(2 * i + ".weight", spiking.get(i + ".fc.weight"));
            dict.put(2 * i + ".bias", spiking.get(i + ".fc.bias"));
        }
        return dict;
    }

    private static float[] values(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextDouble(-0.1, 0.1);
        }
        return v;
    }
}
