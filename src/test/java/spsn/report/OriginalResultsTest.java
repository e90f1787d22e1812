package spsn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import spsn.SharedModels;

/**
 * Reads the original's own published results files (../shared/models, beside the checkout) and
 * checks them against the numbers printed in the seed README: a report on the paper's own runs
 * must reproduce the paper's tables.
 */
class OriginalResultsTest {

    @Test
    void theOriginalsFilesGiveThePapersTables() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ResultsScanner.ScanResult scan = ResultsScanner.scan(SharedModels.require(), new PrintStream(err, true));
        assertEquals("", err.toString(), "every published file parses");
        assertEquals(10, scan.runs().size());
        ReportData data = ReportData.of(scan);
        assertEquals(1, data.sections().size());
        ReportData.Section section = data.sections().get(0);
        assertEquals("heidelberg", section.dataset());
        assertEquals(200, section.epochs());
        assertTrue(data.otherRuns().isEmpty());

        // Seed README tables. The paper mostly truncates (71.378 → 71.37, 252.29 s → 252.2) but not
        // always (71.820 → 71.82), so a cell may differ from the file by less than its last digit.
        assertCell(section, "LIF", Configuration.BASIC, 71.37, 252.2);
        assertCell(section, "LIF", Configuration.DATA_AUGMENTATION, 83.03, 261.7);
        assertCell(section, "SPSN-SB", Configuration.BASIC, 77.16, 5.5);
        assertCell(section, "SPSN-SB", Configuration.DATA_AUGMENTATION, 86.08, 10.7);
        assertCell(section, "SPSN-SB", Configuration.DATA_AUGMENTATION_REGULARIZATION, 89.70, 10.7);
        assertCell(section, "SPSN-GS", Configuration.BASIC, 75.66, 6.8);
        assertCell(section, "SPSN-GS", Configuration.DATA_AUGMENTATION, 86.08, 12.2);
        assertCell(section, "SPSN-GS", Configuration.DATA_AUGMENTATION_REGULARIZATION, 89.39, 12.2);
        assertCell(section, "Non-Spiking", Configuration.BASIC, 71.82, 1.5);
        assertCell(section, "Non-Spiking", Configuration.DATA_AUGMENTATION, 66.07, 6.7);
        assertTrue(section.cell("LIF", Configuration.DATA_AUGMENTATION_REGULARIZATION).isEmpty());
        assertTrue(section.cell("Non-Spiking", Configuration.DATA_AUGMENTATION_REGULARIZATION).isEmpty());

        RunResult lif = section.cell("LIF", Configuration.BASIC).get(0);
        assertEquals("basic/results_LIF_1675938986.json", lif.name());
        assertEquals(0, lif.seed());
        assertEquals(200, lif.lossHist().size());
        assertEquals(List.of(3.1986988451745777, 5.003289355172051, 13.823506010903252), lif.nbSpikes());
        assertNull(lif.confusion());
        assertTrue(section.cell("Non-Spiking", Configuration.BASIC).get(0).nbSpikes().isEmpty());
    }

    private static void assertCell(ReportData.Section section, String neuron, Configuration config,
                                   double paperAccuracy, double paperSeconds) {
        List<RunResult> cell = section.cell(neuron, config);
        assertEquals(1, cell.size(), neuron + " " + config);
        RunResult run = cell.get(0);
        assertEquals(paperAccuracy, run.testAccuracyPercent(), 0.01, neuron + " " + config + " accuracy");
        assertEquals(paperSeconds, run.secondsPerEpoch(), 0.1, neuron + " " + config + " s/epoch");
    }
}
