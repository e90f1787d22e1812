package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test-only run ({@code --load_model ... --nb_epochs 0}) needs only shd_test.h5: it neither
 * requires nor reads shd_train.h5, and gives the numbers of a run that had both files.
 */
class TestOnlyRunTest {

    @TempDir
    Path tmp;

    @Test
    void aTestOnlyRunNeedsNoTrainFileAndGivesTheSameNumbers() throws IOException {
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        Files.copy(Cli.resource("shd/good_f16.h5"), data.resolve("shd_train.h5"));
        Files.copy(Cli.resource("shd/good_f16.h5"), data.resolve("shd_test.h5"));
        Path trained = tmp.resolve("trained");
        Cli.run("--data_dir", data.toString(), "--output_dir", trained.toString(), "--seed", "4", "--neuron", "SPSN-SB",
                "--nb_epochs", "1", "--batch_size", "4", "--hidden_size", "8", "--progress", "False",
                "--save_model", "True").assertOk();
        Path model = Cli.onlyFile(trained, "model_SPSN-SB_", ".pt");
        JsonNode reference = Cli.json(Cli.onlyFile(trained, "results_SPSN-SB_", ".json"));

        // With the model alone: first no train file at all, then one that cannot even be read.
        Path tested = tmp.resolve("tested");
        for (boolean unreadableTrainFile : new boolean[] {false, true}) {
            Files.deleteIfExists(data.resolve("shd_train.h5"));
            if (unreadableTrainFile) {
                Files.writeString(data.resolve("shd_train.h5"), "not HDF5");
            }
            Path out = tested.resolve(unreadableTrainFile ? "unreadable" : "absent");
            Cli.Result run = Cli.run("--data_dir", data.toString(), "--output_dir", out.toString(), "--seed", "4",
                    "--neuron", "SPSN-SB", "--nb_epochs", "0", "--batch_size", "4", "--hidden_size", "8",
                    "--progress", "False", "--load_model", model.toString()).assertOk();
            assertTrue(run.out().lines().findFirst().orElse("").contains("test samples (test only)"), run.out());
            JsonNode results = Cli.json(Cli.onlyFile(out, "results_SPSN-SB_", ".json"));
            for (String key : new String[] {"test_accuracies", "nb_spikes", "test_confusion", "class_names"}) {
                assertEquals(reference.get(key), results.get(key), key);
            }
            assertEquals(reference.get("PARAMS").get("input_size"), results.get("PARAMS").get("input_size"));
            assertEquals(reference.get("PARAMS").get("nb_class"), results.get("PARAMS").get("nb_class"));
        }
    }

    @Test
    void aTrainingRunStillNeedsTheTrainFile() throws IOException {
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        Files.copy(Cli.resource("shd/good_f16.h5"), data.resolve("shd_test.h5"));
        Cli.run("--data_dir", data.toString(), "--output_dir", tmp.resolve("out").toString(), "--nb_epochs", "1",
                "--progress", "False").assertError(1, "shd_train.h5 not found", "--dataset synthetic");
    }
}
