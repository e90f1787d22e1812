package spsn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import spsn.SpsnException;
import spsn.cli.ReportCommand;

/**
 * The report command on committed fixture results files (the original's format; several seeds
 * per cell, a missing cell, a partial run, runs outside the paper's setting, unreadable files, a
 * second dataset and a second epoch count) against a hand-written expected report.
 */
class ReportCommandTest {

    static Path fixtures;

    @BeforeAll
    static void locateFixtures() throws URISyntaxException {
        fixtures = Path.of(ReportCommandTest.class.getResource("/report/outputs").toURI());
    }

    /** Copies the fixture outputs folder, so the report and plots go to a temporary folder. */
    static Path copyFixtures(Path target) throws IOException {
        try (Stream<Path> files = Files.walk(fixtures)) {
            for (Path p : files.toList()) {
                Path dest = target.resolve(fixtures.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
        return target;
    }

    static String run(String... args) {
        StringWriter out = new StringWriter();
        ReportCommand command = new ReportCommand();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.parseArgs(args);
        assertEquals(0, command.call());
        return out.toString();
    }

    @Test
    void reportMatchesTheHandCheckedExpectedFile(@TempDir Path tmp) throws Exception {
        Path outputs = copyFixtures(tmp.resolve("outputs"));
        run("--outputs", outputs.toString());

        String expected = Files.readString(
                Path.of(getClass().getResource("/report/expected-report.md").toURI()), StandardCharsets.UTF_8);
        String actual = Files.readString(outputs.resolve("report.md"), StandardCharsets.UTF_8);
        // The JSON parser's own wording for the truncated file is not ours to pin down; where it
        // stopped (column 26: just past the 25 characters of the file) is.
        String jackson = "cannot read as JSON (";
        int start = actual.indexOf(jackson);
        assertTrue(start > 0, "truncated file reported");
        int end = actual.indexOf(" at line ", start);
        String normalised = actual.substring(0, start + jackson.length()) + "JACKSON" + actual.substring(end);
        assertEquals(expected, normalised);
    }

    @Test
    void plotsAreDecodablePngsOfTheDocumentedSizes(@TempDir Path tmp) throws Exception {
        Path outputs = copyFixtures(tmp.resolve("outputs"));
        Path plots = tmp.resolve("plots");
        String stdout = run("--outputs", outputs.toString(), "--plots", plots.toString(),
                "--out", tmp.resolve("r.md").toString());

        List<String> names;
        try (Stream<Path> files = Files.list(plots)) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(18, names.size(), names.toString());
        assertTrue(stdout.contains("Wrote 18 plots to " + plots), stdout);
        for (String name : names) {
            BufferedImage image = ImageIO.read(plots.resolve(name).toFile());
            assertNotNull(image, name + " decodes");
            boolean confusion = name.startsWith("confusion_");
            assertEquals(confusion ? PlotWriter.CONFUSION_WIDTH : 800, image.getWidth(), name);
            assertEquals(confusion ? PlotWriter.CONFUSION_HEIGHT : 600, image.getHeight(), name);
            assertTrue(distinctColours(image) > 2, name + " is not blank");
        }
        assertTrue(names.contains("confusion_data_aug_results_SPSN-SB_1010.png"));
        assertTrue(names.contains("heidelberg-3ep_data_aug_reg_loss.png"));
        // Non-Spiking layers do not fire, and data_aug_reg has only SPSN-SB: its spikes chart exists.
        assertTrue(names.contains("heidelberg-3ep_data_aug_reg_spikes.png"));
        // One synthetic run has NaN spike counts (written as "NaN" strings): no bars for them.
        assertFalse(names.contains("synthetic-2ep_basic_spikes.png"));
        // The report links the plots relative to its own folder.
        String report = Files.readString(tmp.resolve("r.md"));
        assertTrue(report.contains("](plots/heidelberg-3ep_test_accuracy.png)"), report);
    }

    @Test
    void noPlotsWritesOnlyTheReport(@TempDir Path tmp) throws Exception {
        Path outputs = copyFixtures(tmp.resolve("outputs"));
        String stdout = run("--outputs", outputs.toString(), "--no-plots");
        assertFalse(Files.exists(outputs.resolve("report")));
        String report = Files.readString(outputs.resolve("report.md"));
        assertFalse(report.contains("## Plots"));
        assertTrue(stdout.contains("Wrote report to " + outputs.resolve("report.md")
                + " (14 runs in the tables, 2 other, 1 partial skipped, 2 unreadable skipped)"), stdout);
    }

    @Test
    void unreadableFilesAreNamedOnStandardError(@TempDir Path tmp) throws Exception {
        Path outputs = copyFixtures(tmp.resolve("outputs"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ResultsScanner.ScanResult scan = ResultsScanner.scan(outputs, new PrintStream(err, true, StandardCharsets.UTF_8));
        String warnings = err.toString(StandardCharsets.UTF_8);
        List<String> lines = warnings.lines().toList();
        assertEquals(2, lines.size(), warnings);
        assertTrue(lines.get(0).startsWith("warning: skipping " + outputs.resolve("broken/results_LIF_1040.json")),
                warnings);
        assertEquals("warning: skipping " + outputs.resolve("broken/results_SPSN-SB_1041.json")
                + ": has no test_accuracies; expected a results file written by training", lines.get(1));
        assertEquals(17, scan.runs().size(), "notes.json and the two broken files are not runs");
    }

    @Test
    void missingOutputsFolderIsAOneLineDataError(@TempDir Path tmp) {
        SpsnException e = assertThrows(SpsnException.class,
                () -> run("--outputs", tmp.resolve("nope").toString()));
        assertEquals(SpsnException.DATA, e.exitCode());
        assertTrue(e.getMessage().contains(tmp.resolve("nope").toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void emptyOutputsFolderIsADataError(@TempDir Path tmp) {
        SpsnException e = assertThrows(SpsnException.class, () -> run("--outputs", tmp.toString()));
        assertTrue(e.getMessage().startsWith("no results_*.json under " + tmp), e.getMessage());
    }

    static int distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
