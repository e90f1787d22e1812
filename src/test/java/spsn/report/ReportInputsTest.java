package spsn.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results files as the original writes them for unusual runs: a diverged run's loss_hist holds
 * Infinity and NaN (Python's json module writes them bare), and a seed may be any 64-bit
 * integer. The report takes both, keeping the seed exact.
 */
class ReportInputsTest {

    @TempDir
    Path tmp;

    private Path outputsWith(String lossHist, String seed) throws Exception {
        Path basic = Files.createDirectories(tmp.resolve("outputs").resolve("basic"));
        ReportCommandTest.locateFixtures();
        String original = Files.readString(ReportCommandTest.fixtures.resolve("basic/results_LIF_1000.json"));
        String edited = original.replace("\"loss_hist\": [0.05, 0.04, 0.03]", "\"loss_hist\": " + lossHist)
                .replace("\"PARAMS\": {\"seed\": 0,", "\"PARAMS\": {\"seed\": " + seed + ",");
        assertTrue(!edited.equals(original), "fixture edited");
        Files.writeString(basic.resolve("results_LIF_1000.json"), edited);
        return tmp.resolve("outputs");
    }

    @Test
    void infinityAndNanInTheLossHistory() throws Exception {
        Path outputs = outputsWith("[Infinity, NaN, -Infinity]", "0");
        String out = ReportCommandTest.run("--outputs", outputs.toString());
        assertTrue(out.contains("1 runs in the tables"), out);
    }

    @Test
    void aSeedOf2To40IsShownExactly() throws Exception {
        Path outputs = outputsWith("[0.05, 0.04, 0.03]", "1099511627776");
        ReportCommandTest.run("--outputs", outputs.toString(), "--no-plots");
        String report = Files.readString(outputs.resolve("report.md"));
        assertTrue(report.contains("1099511627776"), report);
    }
}
