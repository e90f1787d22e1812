package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spsn.SharedModels;

/**
 * A float16 SHD-layout set (shd/f16set, times stored as float16 like the real SHD files)
 * evaluated with {@code --load_model ... --nb_epochs 0}: every test prediction must equal the one
 * PyTorch computes with the original's equations on the original's bins
 * (tools/reference/make_shd_reference.py). The expected files also record what float32 binning
 * would predict: for each model some predictions differ, so these tests fail on float32 binning.
 */
class Float16PredictionsTest {

    private static final Path SET = Cli.resource("shd/f16set");

    @TempDir
    Path tmp;

    /** Fixed 700-16-16-20 networks written by the reference script, no ../shared needed. */
    @Test
    void fixedModelsPredictExactlyAsPyTorch() throws IOException {
        List<String> problems = new ArrayList<>();
        for (JsonNode expected : expected("expected_fixed.json")) {
            problems.addAll(evaluate(expected, SET.resolve(expected.get("model").asText())));
        }
        assertEquals(List.of(), problems, "differences from PyTorch");
    }

    /** The original authors' published LIF and Non-Spiking models (../shared/models/basic). */
    @Test
    void publishedModelsPredictExactlyAsTheOriginal() throws IOException {
        List<String> problems = new ArrayList<>();
        for (JsonNode expected : expected("expected_published.json")) {
            problems.addAll(evaluate(expected, SharedModels.require(expected.get("model").asText())));
        }
        assertEquals(List.of(), problems, "differences from the original's predictions");
    }

    private static List<JsonNode> expected(String name) throws IOException {
        List<JsonNode> models = new ArrayList<>();
        Cli.json(SET.resolve(name)).get("models").forEach(models::add);
        assertEquals(2, models.size(), name);
        return models;
    }

    /** Runs the evaluation and returns what differs from the expectation (nothing, when right). */
    private List<String> evaluate(JsonNode expected, Path model) throws IOException {
        String neuron = expected.get("neuron").asText();
        Path out = tmp.resolve(model.getFileName().toString());
        Cli.run("--data_dir", SET.toString(), "--neuron", neuron, "--load_model", model.toString(), "--nb_epochs", "0",
                "--hidden_size", expected.get("hidden_size").asText(), "--nb_layers", expected.get("nb_layers").asText(),
                "--batch_size", expected.get("batch_size").asText(), "--seed", "0", "--progress", "False",
                "--output_dir", out.toString()).assertOk();
        JsonNode results = Cli.json(Cli.onlyFile(out, "results_" + neuron + "_", ".json"));
        JsonNode predictions = results.get("test_predictions");
        JsonNode wanted = expected.get("predictions");
        assertEquals(wanted.size(), predictions.size(), model + ": prediction count");
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < wanted.size(); i++) {
            if (predictions.get(i).asInt() != wanted.get(i).asInt()) {
                problems.add(model.getFileName() + " sample " + i + ": " + predictions.get(i) + " instead of " + wanted.get(i));
            }
        }
        if (!expected.get("confusion").equals(results.get("test_confusion"))) {
            problems.add(model.getFileName() + ": another confusion matrix");
        }
        if (expected.get("accuracy").asDouble() != results.get("test_accuracies").asDouble()) {
            problems.add(model.getFileName() + ": accuracy " + results.get("test_accuracies") + " instead of "
                    + expected.get("accuracy"));
        }
        return problems;
    }
}
