package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Help for a mistyped command line: the nearest flag or command, in the one-line error style,
 * exit 2; {@code spsn help} as a command; neuron and mode names in any case; flags from a file.
 */
class UsageHelpTest {

    @TempDir
    Path tmp;

    @Test
    void aMistypedFlagOrCommandGetsTheNearestOne() {
        Cli.run("--epochs", "5").assertError(2, "unknown option '--epochs'", "did you mean --nb_epochs?", "spsn --help");
        Cli.run("--nb_epoch", "5").assertError(2, "unknown option '--nb_epoch'", "did you mean --nb_epochs");
        Cli.run("--nb_epoch=5").assertError(2, "unknown option '--nb_epoch'", "did you mean --nb_epochs");
        Cli.run("reprot").assertError(2, "unknown command 'reprot'", "did you mean report");
        Cli.run("report", "--outptus", "x").assertError(2, "unknown option '--outptus'", "did you mean --outputs",
                "spsn help report");
        Cli.run("--seed", "1", "surplus").assertError(2, "unexpected argument 'surplus'");
    }

    @Test
    void helpIsACommandAndEveryHelpEndsWithTheFooter() {
        Cli.Result help = Cli.run("help").assertOk();
        assertTrue(help.out().contains("Usage: spsn"), help.out());
        for (String command : List.of("report", "raster", "bench", "help")) {
            assertTrue(help.out().contains("  " + command + " "), command + " listed:\n" + help.out());
        }
        assertTrue(help.out().contains("@FILE"), "the flags-file footer:\n" + help.out());
        assertTrue(help.out().contains("spsn-java "), "the version in the footer:\n" + help.out());
        assertTrue(help.out().contains("  ParaLIF-NT   not from ParaLIF"), "every neuron with its description:\n"
                + help.out());
        assertTrue(help.out().contains("  SPSN-SB      stochastic parallelizable"), help.out());

        Cli.Result report = Cli.run("help", "report").assertOk();
        assertTrue(report.out().contains("Usage: spsn report"), report.out());
        assertTrue(report.out().contains("--outputs=DIR"), report.out());
        assertEquals(Cli.run("report", "--help").out(), report.out(), "the same as report --help");
        Cli.run("help", "reprot").assertError(2, "reprot");
    }

    @Test
    void neuronAndModeNamesAreAcceptedInAnyCaseAndSavedCanonically() throws IOException {
        Path dir = tmp.resolve("out");
        Cli.small("--output_dir", dir.toString(), "--seed", "2", "--neuron", "spsn-sb", "--loss_mode", "MEAN",
                "--nb_epochs", "1").assertOk();
        JsonNode params = Cli.json(Cli.onlyFile(dir, "results_SPSN-SB_", ".json")).get("PARAMS");
        assertEquals("SPSN-SB", params.get("neuron").asText());
        assertEquals("mean", params.get("loss_mode").asText());
        Cli.small("--neuron", "spsn", "--nb_epochs", "1").assertError(2, "--neuron: unknown neuron 'spsn'");
    }

    /** picocli's @argfile: a run's flags kept in a file, comments and all, mixed with others. */
    @Test
    void flagsCanComeFromAFile() throws IOException {
        Path flags = tmp.resolve("run.flags");
        Files.writeString(flags, String.join("\n", "# a small synthetic run",
                "--dataset synthetic --synthetic_train 32 --synthetic_test 16",
                "--batch_size 16 --hidden_size 16 --progress False",
                "--neuron Non-Spiking --nb_epochs 1", ""));
        Path dir = tmp.resolve("out");
        Cli.run("@" + flags, "--seed", "8", "--output_dir", dir.toString()).assertOk();
        JsonNode params = Cli.json(Cli.onlyFile(dir, "results_Non-Spiking_", ".json")).get("PARAMS");
        assertEquals(8, params.get("seed").asInt());
        assertEquals(16, params.get("hidden_size").asInt());
        assertEquals("synthetic", params.get("dataset").asText());
    }
}
