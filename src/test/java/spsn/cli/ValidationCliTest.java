package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --dataset ssc, --valid_fraction and --select from the command line. */
class ValidationCliTest {

    @TempDir
    Path tmp;

    @Test
    void invalidValidationFlagsAreUsageErrors() {
        Cli.run("--select", "best", "--nb_epochs", "1").assertError(2, "--select best needs a validation set",
                "--valid_fraction");
        Cli.run("--dataset", "ssc", "--valid_fraction", "0.1").assertError(2, "--valid_fraction: ssc has its own"
                + " validation split");
        Cli.run("--valid_fraction", "1.5").assertError(2, "--valid_fraction: must be in [0, 1), got 1.5");
        Cli.run("--select", "first").assertError(2, "--select: unknown choice 'first'; choose last or best");
        Cli.run("--dataset", "mnist").assertError(2, "--dataset: unknown dataset 'mnist'; choose heidelberg, ssc,"
                + " synthetic, synthetic-ssc or synthetic-order");
    }

    @Test
    void sscFilesTrainWithTheirValidationSplit() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        for (String split : new String[] {"train", "valid", "test"}) {
            Files.copy(Cli.resource("shd/good_f16.h5"), data.resolve("ssc_" + split + ".h5"));
        }
        Path out = tmp.resolve("out");
        Cli.Result r = Cli.run("--dataset", "ssc", "--data_dir", data.toString(), "--output_dir", out.toString(),
                "--hidden_size", "16", "--nb_layers", "1", "--nb_epochs", "2", "--seed", "3", "--select", "best",
                "--neuron", "Non-Spiking", "--progress", "False").assertOk();
        assertTrue(r.out().contains("6 train / 6 validation / 6 test samples"), r.out());
        assertTrue(r.out().contains("Epoch 2/2  validation accuracy"), r.out());
        JsonNode results = Cli.json(Cli.onlyFile(out, "results_", ".json"));
        assertEquals(2, results.get("valid_accuracies").size());
        assertEquals(2, results.get("valid_loss_hist").size());
        assertEquals("ssc", results.get("PARAMS").get("dataset").asText());
        int selected = results.get("selected_epoch").asInt();
        assertTrue(selected == 1 || selected == 2, results.toString());
    }

    @Test
    void aFractionOfTheTrainingSetValidatesASyntheticRun() throws IOException {
        Path out = tmp.resolve("out");
        Cli.Result r = Cli.small("--output_dir", out.toString(), "--seed", "1", "--nb_epochs", "1", "--neuron",
                "Non-Spiking", "--valid_fraction", "0.25").assertOk();
        // 32 samples of 20 classes: classes 0-11 have 2 (one held out each), 12-19 have 1 (none held out).
        assertTrue(r.out().contains("20 train / 12 validation / 16 test samples"), r.out());
        JsonNode results = Cli.json(Cli.onlyFile(out, "results_", ".json"));
        assertEquals(0.25, results.get("PARAMS").get("valid_fraction").asDouble());
        assertEquals(1, results.get("valid_accuracies").size());
        assertEquals(1, results.get("selected_epoch").asInt());
    }

    @Test
    void theReportDrawsTheValidationCurves() throws IOException {
        // A results file of the paper's setup (the report charts those), with validation curves added.
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path fixture = Cli.resource("report/outputs/synthetic/basic/results_SPSN-GS_1051.json");
        ObjectNode results = (ObjectNode) Cli.json(fixture);
        int epochs = results.get("loss_hist").size();
        ArrayNode accuracies = results.putArray("valid_accuracies");
        ArrayNode losses = results.putArray("valid_loss_hist");
        for (int e = 0; e < epochs; e++) {
            accuracies.add(0.1 + 0.01 * e);
            losses.add(3.0 - 0.1 * e);
        }
        Files.writeString(out.resolve("results_SPSN-GS_1051.json"), results.toString());
        Cli.run("report", "--outputs", out.toString()).assertOk();
        assertEquals(1, Cli.files(out.resolve("report"), "", "_valid_loss.png").size(),
                "a validation loss chart beside the training charts");
        Path plain = tmp.resolve("plain");
        Files.createDirectories(plain);
        Files.copy(fixture, plain.resolve("results_SPSN-GS_1051.json"));
        Cli.run("report", "--outputs", plain.toString()).assertOk();
        assertEquals(0, Cli.files(plain.resolve("report"), "", "_valid_loss.png").size(), "none without validation");
    }
}
