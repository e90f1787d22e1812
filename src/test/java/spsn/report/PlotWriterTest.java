package spsn.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlotWriterTest {

    @Test
    void meanCurveAveragesEpochWiseOverTheShortestRun() {
        // (1+3)/2 and (2+4)/2, in percent; the third epoch exists in one run only and is dropped.
        double[] mean = PlotWriter.meanCurve(List.of(List.of(0.01, 0.02, 0.05), List.of(0.03, 0.04)), 100.0);
        assertArrayEquals(new double[] {2.0, 3.0}, mean, 1e-12);
    }

    @Test
    void noRunsGiveAnEmptyCurve() {
        assertArrayEquals(new double[0], PlotWriter.meanCurve(List.of(), 1.0));
    }
}
