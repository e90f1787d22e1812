package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where report and raster write: never over a file they did not write, and a file named as a folder gets a reason. */
class ReportOutputsTest {

    @TempDir
    Path tmp;

    private Path outputs() throws IOException {
        Path basic = Files.createDirectories(tmp.resolve("outputs").resolve("basic"));
        Files.copy(Cli.resource("report/outputs/basic/results_LIF_1000.json"), basic.resolve("results_LIF_1000.json"));
        return tmp.resolve("outputs");
    }

    @Test
    void outNeverOverwritesAResultsFile() throws IOException {
        Path outputs = outputs();
        Path results = outputs.resolve("basic").resolve("results_LIF_1000.json");
        String before = Files.readString(results);
        Cli.run("report", "--outputs", outputs.toString(), "--out", results.toString(), "--no-plots")
                .assertError(2, "--out " + results, "refusing to overwrite a results file");
        assertEquals(before, Files.readString(results));
    }

    @Test
    void outNeverOverwritesAFileItDidNotWrite() throws IOException {
        Path outputs = outputs();
        Path notes = Files.writeString(tmp.resolve("notes.md"), "# my notes\n");
        Cli.run("report", "--outputs", outputs.toString(), "--out", notes.toString(), "--no-plots")
                .assertError(2, "refusing to overwrite a file this command did not write");
        assertEquals("# my notes\n", Files.readString(notes));
    }

    @Test
    void outReplacesAnEarlierReport() throws IOException {
        Path outputs = outputs();
        Path report = tmp.resolve("report.md");
        Cli.run("report", "--outputs", outputs.toString(), "--out", report.toString(), "--no-plots").assertOk();
        Cli.run("report", "--outputs", outputs.toString(), "--out", report.toString(), "--no-plots").assertOk();
    }

    @Test
    void plotsNamingAFileGetsAReason() throws IOException {
        Path outputs = outputs();
        Path file = Files.writeString(tmp.resolve("plots.png"), "x");
        Cli.run("report", "--outputs", outputs.toString(), "--plots", file.toString())
                .assertError(2, "--plots " + file + ": is a file, not a folder");
    }

    @Test
    void rasterOutNamingAFileGetsAReason() throws IOException {
        Path file = Files.writeString(tmp.resolve("raster.png"), "x");
        Cli.run("raster", "--dataset", "synthetic", "--out", file.toString())
                .assertError(2, "--out " + file + ": is a file, not a folder");
    }
}
