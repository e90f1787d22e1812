package spsn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spsn.io.TorchStateDictReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A ParaLIF neuron trained with ParaLIF's flags: its results file has ParaLIF's format and PARAMS,
 * its model file ParaLIF's state_dict keys (buffers included) and loads back to the same test
 * numbers; ParaLIF's store_true flags work alone; bad values are one-line errors.
 */
class ParaLifCliTest {

    @TempDir
    Path tmp;

    @Test
    void recurrentParaLifTrainsSavesAndLoadsWithParaLifsKeys() throws IOException {
        Path trainedDir = tmp.resolve("trained");
        Cli.small("--seed", "3", "--neuron", "ParaLIF-SD", "--nb_layers", "2", "--recurrent", "--learn_tau",
                "--reg_thr_r", "0.05", "--loss_mode", "cumsum", "--nb_epochs", "2", "--save_model",
                "--output_dir", trainedDir.toString()).assertOk();
        JsonNode results = Cli.json(Cli.onlyFile(trainedDir, "results_ParaLIF-SD_", ".json"));
        JsonNode params = results.get("PARAMS");
        List<String> paraLifKeys = List.of("seed", "dataset", "neuron", "nb_epochs", "tau_mem", "tau_syn", "learn_tau",
                "batch_size", "hidden_size", "nb_layers", "recurrent", "recurrent_relu", "reg_thr", "reg_thr_r",
                "loss_mode", "data_augmentation", "shift", "scale", "dir", "save_model", "debug", "window_size", "lr",
                "weight_decay", "scheduler", "best_config");
        List<String> keys = iterable(params.fieldNames());
        assertEquals(paraLifKeys, keys.subList(0, paraLifKeys.size()), "PARAMS in run.py's order");
        assertTrue(params.get("recurrent").asBoolean() && params.get("learn_tau").asBoolean());
        assertEquals(0.05, params.get("shift").asDouble(), "ParaLIF's augmentation default");
        assertEquals(0.15, params.get("scale").asDouble());
        assertEquals(0.1, params.get("spk_threshold").asDouble(), "delta modes' default threshold");
        assertTrue(results.get("test_accuracies").isArray(), "a list of test accuracies, as ParaLIF's");
        JsonNode spikes = results.get("nb_spikes");
        assertEquals(2, spikes.size(), "[feed-forward, recurrent]");
        assertEquals(2, spikes.get(0).size());
        assertEquals(2, spikes.get(1).size());

        Path model = Cli.onlyFile(trainedDir, "model_ParaLIF-SD_", ".pt");
        assertEquals(List.of("0.weight", "0.bias", "1._spk_threshold", "1._alpha", "1._beta", "1.nb_spike_per_neuron",
                "1.nb_spike_per_neuron_rec", "1.fc_recu.weight", "1.fc_recu.bias", "2.weight", "2.bias",
                "3._spk_threshold", "3._alpha", "3._beta", "3.nb_spike_per_neuron", "3.nb_spike_per_neuron_rec",
                "3.fc_recu.weight", "3.fc_recu.bias", "4.weight", "4.bias", "5._spk_threshold", "5._alpha",
                "5._beta", "5.nb_spike_per_neuron", "5.nb_spike_per_neuron_rec"), TorchStateDictReader.read(model).keys());

        Path testedDir = tmp.resolve("tested");
        Cli.small("--seed", "3", "--neuron", "ParaLIF-SD", "--nb_layers", "2", "--recurrent", "--learn_tau",
                "--loss_mode", "cumsum", "--nb_epochs", "0", "--load_model", model.toString(),
                "--output_dir", testedDir.toString()).assertOk();
        JsonNode tested = Cli.json(Cli.onlyFile(testedDir, "results_ParaLIF-SD_", ".json"));
        assertEquals(results.get("test_accuracies"), tested.get("test_accuracies"));
        assertEquals(results.get("nb_spikes"), tested.get("nb_spikes"));

        // a feed-forward network cannot take the recurrent file
        Cli.small("--neuron", "ParaLIF-SD", "--nb_layers", "2", "--learn_tau", "--nb_epochs", "0",
                "--load_model", model.toString(), "--output_dir", tmp.resolve("ff").toString())
                .assertError(1, "fc_recu");
    }

    @Test
    void perNeuronThresholdsAndTimeConstantsSaveAndLoadInParaLifsListForm() throws IOException {
        Path trainedDir = tmp.resolve("pn");
        Cli.small("--seed", "4", "--neuron", "ParaLIF-T", "--spk_threshold", "0.3", "--nb_layers", "1", "--learn_tau",
                "--per_neuron", "--nb_epochs", "1", "--save_model", "--output_dir", trainedDir.toString()).assertOk();
        JsonNode results = Cli.json(Cli.onlyFile(trainedDir, "results_ParaLIF-T_", ".json"));
        assertTrue(results.get("PARAMS").get("per_neuron").asBoolean());
        Path model = Cli.onlyFile(trainedDir, "model_ParaLIF-T_", ".pt");
        spsn.io.StateDict dict = TorchStateDictReader.read(model);
        long hidden = dict.get("0.bias").shape()[0];
        for (String key : List.of("1._spk_threshold", "1._alpha", "1._beta")) {
            assertEquals(List.of(hidden), java.util.Arrays.stream(dict.get(key).shape()).boxed().toList(), key);
            float[] values = dict.get(key).data();
            boolean distinct = false;
            for (float v : values) {
                distinct |= v != values[0];
            }
            assertTrue(distinct, key + ": each neuron learnt its own value");
        }
        Path testedDir = tmp.resolve("pn-tested");
        Cli.small("--seed", "4", "--neuron", "ParaLIF-T", "--nb_layers", "1", "--learn_tau", "--per_neuron",
                "--nb_epochs", "0", "--load_model", model.toString(), "--output_dir", testedDir.toString()).assertOk();
        JsonNode tested = Cli.json(Cli.onlyFile(testedDir, "results_ParaLIF-T_", ".json"));
        assertEquals(results.get("test_accuracies"), tested.get("test_accuracies"));
        assertEquals(results.get("nb_spikes"), tested.get("nb_spikes"));
        Cli.small("--neuron", "ParaLIF-T", "--nb_layers", "1", "--learn_tau", "--nb_epochs", "0", "--load_model",
                model.toString(), "--output_dir", tmp.resolve("shared").toString()).assertError(1, "--per_neuron");
        Cli.small("--neuron", "LIF-LT", "--per_neuron").assertError(2, "--per_neuron", "parallel neurons");
    }

    @Test
    void badParaLifFlagsAreOneLineErrors() {
        Cli.small("--neuron", "ParaLIF-X").assertError(2, "--neuron", "ParaLIF-TRT");
        Cli.small("--neuron", "ParaLIF-T", "--surrogate", "sigmoid").assertError(2, "--surrogate", "atan");
        Cli.small("--neuron", "ParaLIF-T", "--recurrent_relu").assertError(2, "--recurrent_relu", "--recurrent");
        Cli.small("--neuron", "ParaLIF-T", "--lr", "0").assertError(2, "--lr");
        Cli.small("--neuron", "Non-Spiking", "--recurrent").assertError(2, "--recurrent", "Non-Spiking");
        Cli.small("--shift", "0.1", "--h_shift", "0.2").assertError(2, "--shift", "--h_shift");
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }
}
