package spsn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static spsn.train.E2eSupport.assertCompleteResults;
import static spsn.train.E2eSupport.json;
import static spsn.train.E2eSupport.onlyResultsFile;
import static spsn.train.E2eSupport.train;
import static spsn.train.E2eSupport.with;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import spsn.train.E2eSupport.Run;

/** "A seeded CPU run repeats exactly": the same command twice gives the same numbers. */
class RepeatabilityTest {

    /**
     * Every random stream at work: the data, initialisation, shuffling, augmentation and, for
     * SPSN, the neurons' noise; 2 batches per epoch.
     */
    private static final List<String> RUN = List.of("--data_augmentation", "True", "--synthetic_train", "20",
            "--synthetic_test", "20", "--hidden_size", "16", "--batch_size", "10", "--nb_epochs", "2");
    private static final List<String> MEASURED = List.of("loss_hist", "train_accuracies", "test_accuracies",
            "nb_spikes");

    @TempDir
    static Path tmp;

    /** Results of the seeded runs, each run once for all tests of this class. */
    private static final Map<String, JsonNode> SEEDED = new HashMap<>();

    private static JsonNode seeded(String neuron, String seed, String copy) throws IOException {
        String key = neuron + "-seed-" + seed + "-" + copy;
        JsonNode cached = SEEDED.get(key);
        if (cached == null) {
            Path dir = tmp.resolve(key);
            Run run = train(dir, with(RUN, "--neuron", neuron, "--seed", seed)).assertOk();
            cached = json(onlyResultsFile(dir, neuron, run));
            assertCompleteResults(cached, run.args());
            SEEDED.put(key, cached);
        }
        return cached;
    }

    @ParameterizedTest
    @ValueSource(strings = {"SPSN-SB", "SPSN-GS", "LIF", "Non-Spiking"})
    void theSameSeededCommandTwiceGivesIdenticalNumbers(String neuron) throws IOException {
        JsonNode first = seeded(neuron, "0", "a");
        JsonNode second = seeded(neuron, "0", "b");
        for (String key : MEASURED) {
            assertEquals(first.get(key), second.get(key), neuron + ": " + key + " of two runs with --seed 0");
        }
    }

    @Test
    void anotherSeedGivesOtherNumbers() throws IOException {
        JsonNode zero = seeded("SPSN-SB", "0", "a");
        JsonNode one = seeded("SPSN-SB", "1", "a");
        assertNotEquals(zero.get("loss_hist"), one.get("loss_hist"), "loss_hist of --seed 0 and --seed 1");
        assertNotEquals(zero.get("nb_spikes"), one.get("nb_spikes"), "nb_spikes of --seed 0 and --seed 1");
    }

    @Test
    void anUnseededRunRecordsANullSeedAndAValidFile(@TempDir Path dir) throws IOException {
        Run run = train(dir, with(RUN, "--neuron", "SPSN-SB")).assertOk();
        JsonNode results = json(onlyResultsFile(dir, "SPSN-SB", run));
        // Checks "seed": null in PARAMS and at the top level, and every other key.
        assertCompleteResults(results, run.args());
        assertTrue(results.get("PARAMS").get("seed").isNull(), "PARAMS.seed: " + results.get("PARAMS").get("seed"));
    }
}
