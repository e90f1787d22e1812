package spsn.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * What the report must not count as training runs of their own: a rerun with the same seed and
 * settings (it would pass for a second seed, "± 0.00") and a test-only evaluation (it would be a
 * 0-epoch, 0.00 s row); and the loss plot's log axis, which must carry readable labels.
 */
class ReportRunsApartTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aRerunWithTheSameSeedCountsOnceAndIsNamed() throws IOException {
        Path outputs = tmp.resolve("outputs");
        write(outputs.resolve("a/results_SPSN-SB_100.json"), run(0, 3, 0.80, "a/"));
        write(outputs.resolve("b/results_SPSN-SB_200.json"), run(0, 3, 0.80, "b/")); // the same run again
        write(outputs.resolve("a/results_SPSN-SB_300.json"), run(1, 3, 0.70, "a/"));
        String md = report(outputs);

        assertTrue(md.contains("| SPSN-SB | 75.00 ± 7.07 (n=2) |"), "seeds 0 and 1, each once:\n" + md);
        assertTrue(md.contains("Duplicates (same seed and settings, counted once): 1."), md);
        assertTrue(md.contains("\n## Duplicates\n"), md);
        assertTrue(md.contains("- b/results_SPSN-SB_200.json: seed 0, same settings as a/results_SPSN-SB_100.json\n"),
                md);
        assertFalse(md.contains("| b/results_SPSN-SB_200.json |"), "not among the runs used:\n" + md);
    }

    @Test
    void runsWithTheSameSeedButOtherSettingsAreNotDuplicates() throws IOException {
        Path outputs = tmp.resolve("outputs");
        write(outputs.resolve("results_SPSN-SB_100.json"), run(0, 3, 0.80, ""));
        Map<String, Object> augmented = run(0, 3, 0.86, "");
        params(augmented).put("data_augmentation", true);
        write(outputs.resolve("results_SPSN-SB_200.json"), augmented);
        String md = report(outputs);
        assertFalse(md.contains("## Duplicates"), md);
        assertTrue(md.contains("| SPSN-SB | 80.00 |") && md.contains("| 86.00 |"), md);
    }

    @Test
    void aTestOnlyEvaluationIsShownApart() throws IOException {
        Path outputs = tmp.resolve("outputs");
        write(outputs.resolve("results_SPSN-SB_100.json"), run(0, 3, 0.80, ""));
        Map<String, Object> evaluation = run(0, 0, 0.77, "");
        evaluation.put("loss_hist", List.of());
        evaluation.put("train_accuracies", List.of());
        evaluation.put("train_duration", 0.0);
        params(evaluation).put("load_model", "models/model_SPSN-SB_1675889673.pt");
        write(outputs.resolve("results_SPSN-SB_200.json"), evaluation);
        String md = report(outputs);

        assertFalse(md.contains("## heidelberg, 0 epochs"), "no 0-epoch section:\n" + md);
        assertFalse(md.contains("| results_SPSN-SB_200.json | heidelberg | Basic"), "not a training row:\n" + md);
        assertTrue(md.contains("\n## Test-only evaluations\n"), md);
        assertTrue(md.contains("| results_SPSN-SB_200.json | heidelberg | SPSN-SB | models/model_SPSN-SB_1675889673.pt"
                + " | 0 | 77.00 | 12.00 |"), md);
        assertTrue(md.contains("Test-only evaluations (apart): 1."), md);
    }

    /** A loss between 0.25 and 2.9 spans one decade: XChart alone labels only "1" there. */
    @Test
    void theLogLossAxisCarriesSeveralPlainLabels() throws Exception {
        XYChart chart = lossChart();
        PlotWriter.useLogAxisIfPositive(chart);
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        List<String> labels = yTickLabels(chart);
        assertTrue(labels.size() >= 4, "labels " + labels);
        for (String label : labels) {
            assertTrue(label.matches("\\d+(\\.\\d+)?"), "a plain number: '" + label + "' in " + labels);
        }
        assertTrue(labels.containsAll(List.of("0.3", "0.5", "1", "2")), labels.toString());

        {
            XYChart plain = lossChart();
            plain.getStyler().setYAxisLogarithmic(true);
            assertTrue(yTickLabels(plain).size() <= 1,
                    "XChart's default labels only the decades: " + yTickLabels(plain));
        }
    }

    private static XYChart lossChart() {
        XYChart chart = new XYChartBuilder().width(PlotWriter.WIDTH).height(PlotWriter.HEIGHT).build();
        chart.addSeries("SPSN-SB", new double[] {1, 2, 3, 4}, new double[] {2.9, 1.1, 0.5, 0.25});
        return chart;
    }

    /** The labels XChart draws on the y axis (read from its axis after rendering). */
    @SuppressWarnings("unchecked")
    private static List<String> yTickLabels(XYChart chart) throws Exception {
        BitmapEncoder.getBufferedImage(chart);
        Method yAxis = Chart.class.getDeclaredMethod("getYAxis");
        yAxis.setAccessible(true);
        Object axis = yAxis.invoke(chart);
        Object calculator = axis.getClass().getMethod("getAxisTickCalculator").invoke(axis);
        Method labels = Class.forName("org.knowm.xchart.internal.chartpart.AxisTickCalculator")
                .getMethod("getTickLabels");
        labels.setAccessible(true);
        // XChart keeps a null label for each unlabelled tick
        return ((List<String>) labels.invoke(calculator)).stream().filter(Objects::nonNull)
                .filter(l -> !l.isBlank()).toList();
    }

    private static String report(Path outputs) throws IOException {
        ReportCommandTest.run("--outputs", outputs.toString(), "--no-plots");
        return Files.readString(outputs.resolve("report.md"));
    }

    /** A results file in the original's format with the seed and settings of a basic run. */
    private static Map<String, Object> run(int seed, int epochs, double accuracy, String dir) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("seed", seed);
        params.put("dataset", "heidelberg");
        params.put("neuron", "SPSN-SB");
        params.put("nb_epochs", epochs);
        params.put("tau_mem", 0.02);
        params.put("tau_syn", 0.02);
        params.put("batch_size", 64);
        params.put("hidden_size", 128);
        params.put("nb_layers", 3);
        params.put("reg_thr", 0.0);
        params.put("loss_mode", "mean");
        params.put("data_augmentation", false);
        params.put("h_shift", 0.1);
        params.put("scale", 0.3);
        params.put("dir", dir);
        params.put("save_model", false);
        params.put("input_size", 700);
        params.put("nb_class", 20);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("loss_hist", List.of(2.0, 1.0, 0.5).subList(0, Math.min(3, epochs)));
        root.put("train_accuracies", List.of(0.3, 0.5, 0.7).subList(0, Math.min(3, epochs)));
        root.put("train_duration", 6.0);
        root.put("test_accuracies", accuracy);
        root.put("nb_spikes", List.of(10.0, 8.0, 6.0));
        root.put("test_duration", 12.0);
        root.put("PARAMS", params);
        return root;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> params(Map<String, Object> run) {
        return (Map<String, Object>) run.get("PARAMS");
    }

    private static void write(Path file, Map<String, Object> content) throws IOException {
        Files.createDirectories(file.getParent());
        JSON.writeValue(file.toFile(), content);
    }
}
