package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedCliTest {

    @TempDir
    Path tmp;

    /**
     * An unseeded run writes the seed it drew (PARAMS keeps the flag as given: null, as the
     * original's), and {@code --seed <that seed>} repeats it exactly: stochastic neurons,
     * augmentation and shuffling, so every random stream is involved.
     */
    @Test
    void anUnseededRunWritesTheSeedThatRepeatsIt() throws IOException {
        List<String> run = List.of("--neuron", "SPSN-GS", "--nb_epochs", "2", "--data_augmentation", "True");
        Path first = tmp.resolve("unseeded");
        Cli.small(with(run, "--output_dir", first.toString())).assertOk();
        JsonNode unseeded = Cli.json(Cli.onlyFile(first, "results_SPSN-GS_", ".json"));
        JsonNode seed = unseeded.get("seed");
        assertTrue(seed.isIntegralNumber(), "seed: " + seed);
        assertTrue(unseeded.get("PARAMS").get("seed").isNull(), "PARAMS.seed as given: " + unseeded.get("PARAMS"));

        Path second = tmp.resolve("seeded");
        Cli.small(with(run, "--seed", seed.asText(), "--output_dir", second.toString())).assertOk();
        JsonNode seeded = Cli.json(Cli.onlyFile(second, "results_SPSN-GS_", ".json"));
        assertEquals(seed, seeded.get("seed"));
        assertEquals(seed.asLong(), seeded.get("PARAMS").get("seed").asLong());
        for (String key : List.of("loss_hist", "train_accuracies", "test_accuracies", "nb_spikes", "test_confusion",
                "test_predictions")) {
            assertEquals(unseeded.get(key), seeded.get(key), key + " of the unseeded run and of --seed " + seed);
        }
    }

    private static String[] with(List<String> base, String... more) {
        String[] args = base.toArray(new String[base.size() + more.length]);
        System.arraycopy(more, 0, args, base.size(), more.length);
        return args;
    }
}
