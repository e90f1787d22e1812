package spsn.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import spsn.SpsnException;

/**
 * Draws the report's PNG charts with XChart: per section and configuration the training loss,
 * training accuracy and spikes per layer (one series per neuron, averaged over seeds), with the
 * validation accuracy and loss beside them for runs that validated (dotted); per
 * section the test accuracy of every configuration; per run with a confusion matrix, a heat map.
 * Sizes are fixed so the images are predictable.
 */
public final class PlotWriter {

    static {
        // Charts are rendered off-screen; this must be set before AWT initialises.
        System.setProperty("java.awt.headless", "true");
    }

    /** Width and height of the curve and bar charts, pixels. */
    public static final int WIDTH = 800;
    public static final int HEIGHT = 600;
    /** Width and height of the confusion heat maps (room for 20 class names), pixels. */
    public static final int CONFUSION_WIDTH = 1000;
    public static final int CONFUSION_HEIGHT = 900;

    private PlotWriter() {
    }

    /**
     * Writes every chart of {@code data} into {@code folder} (created if needed).
     *
     * @return the files written, sorted by name
     */
    public static List<Path> write(ReportData data, Path folder) {
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(folder);
            for (ReportData.Section section : data.sections()) {
                for (Configuration config : section.configsPresent()) {
                    String prefix = section.slug() + "_" + config.slug();
                    String title = section.title() + ", " + config.title();
                    XYChart loss = curves(section, config, "Training loss, " + title, "loss",
                            RunResult::lossHist, 1.0, false);
                    useLogAxisIfPositive(loss);
                    saveIfAny(loss, folder, prefix + "_loss.png", written);
                    XYChart accuracy = curves(section, config, "Training accuracy, " + title, "accuracy (%)",
                            RunResult::trainAccuracies, 100.0, true);
                    addValidationCurves(accuracy, section, config, RunResult::validAccuracies, 100.0);
                    saveIfAny(accuracy, folder, prefix + "_train_accuracy.png", written);
                    XYChart validLoss = curves(section, config, "Validation loss (mean per sample), " + title,
                            "loss", RunResult::validLossHist, 1.0, false);
                    useLogAxisIfPositive(validLoss);
                    saveIfAny(validLoss, folder, prefix + "_valid_loss.png", written);
                    saveIfAny(spikes(section, config, "Spikes per layer, " + title), folder, prefix + "_spikes.png",
                            written);
                }
                saveIfAny(testAccuracy(section), folder, section.slug() + "_test_accuracy.png", written);
            }
            List<RunResult> withConfusion = new ArrayList<>();
            data.sections().forEach(s -> withConfusion.addAll(s.runs()));
            withConfusion.addAll(data.otherRuns());
            for (RunResult run : withConfusion) {
                if (run.hasConfusion()) {
                    String stem = run.name().replaceFirst("\\.json$", "").replaceAll("[^A-Za-z0-9._-]", "_");
                    saveIfAny(confusion(run), folder, "confusion_" + stem + ".png", written);
                }
            }
        } catch (IOException e) {
            throw SpsnException.data("cannot write plots into " + folder + ": " + e.getMessage(), e);
        }
        written.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return written;
    }

    /** One series per neuron: the epoch-wise mean over its runs (cut to the shortest run). */
    private static XYChart curves(ReportData.Section section, Configuration config, String title, String yTitle,
                                  Function<RunResult, List<Double>> values, double factor, boolean withTest) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("epoch").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        for (String neuron : PaperNumbers.NEURONS) {
            List<RunResult> runs = section.cell(neuron, config);
            if (runs.isEmpty()) {
                continue;
            }
            double[] mean = meanCurve(runs.stream().map(values).toList(), factor);
            if (mean.length > 0) {
                addLine(chart, seriesName(neuron, runs.size()), epochs(mean.length), mean, colour(neuron), false);
            }
            if (withTest) {
                addTestCurve(chart, neuron, runs);
            }
        }
        return chart;
    }

    /** Validation curves, dotted, per neuron whose runs all validated. */
    private static void addValidationCurves(XYChart chart, ReportData.Section section, Configuration config,
                                            Function<RunResult, List<Double>> values, double factor) {
        for (String neuron : PaperNumbers.NEURONS) {
            List<RunResult> runs = section.cell(neuron, config);
            if (runs.isEmpty() || runs.stream().anyMatch(r -> values.apply(r).isEmpty())) {
                continue;
            }
            double[] mean = meanCurve(runs.stream().map(values).toList(), factor);
            XYSeries series = chart.addSeries(seriesName(neuron, runs.size()) + " validation", epochs(mean.length), mean);
            series.setLineColor(colour(neuron));
            series.setMarkerColor(colour(neuron));
            series.setMarker(mean.length <= 50 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            series.setLineStyle(SeriesLines.DOT_DOT);
        }
    }

    /** Test accuracy during training, drawn dashed, when every run tested at the same epochs. */
    private static void addTestCurve(XYChart chart, String neuron, List<RunResult> runs) {
        List<Integer> at = runs.get(0).testEveryEpochs();
        if (at.isEmpty() || runs.stream().anyMatch(r -> !r.testEveryEpochs().equals(at))) {
            return;
        }
        double[] mean = meanCurve(runs.stream().map(RunResult::testAccuracyHist).toList(), 100.0);
        double[] x = at.stream().mapToDouble(Integer::doubleValue).toArray();
        addLine(chart, seriesName(neuron, runs.size()) + " test", x, mean, colour(neuron), true);
    }

    private static void addLine(XYChart chart, String name, double[] x, double[] values, Color colour,
                                boolean dashed) {
        // A diverged run's loss is Infinity (the original writes it so): drawn as a gap, like NaN;
        // XChart refuses infinite values outright.
        double[] y = Arrays.stream(values).map(v -> Double.isInfinite(v) ? Double.NaN : v).toArray();
        XYSeries series = chart.addSeries(name, x, y);
        series.setLineColor(colour);
        series.setMarkerColor(colour);
        // Short curves, and curves broken by NaN (a diverged run), need markers: a point with no
        // neighbour draws no line.
        boolean gaps = Arrays.stream(y).anyMatch(v -> !Double.isFinite(v));
        series.setMarker(x.length <= 50 || gaps ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        if (dashed) {
            series.setLineStyle(SeriesLines.DASH_DASH);
        }
    }

    /** Bars: x = configuration, one series per neuron, mean test accuracy with std error bars. */
    private static CategoryChart testAccuracy(ReportData.Section section) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Test accuracy, " + section.title()).xAxisTitle("configuration")
                .yAxisTitle("test accuracy (%)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setErrorBarsColor(Color.DARK_GRAY);
        List<Configuration> configs = section.configsPresent();
        List<String> x = configs.stream().map(Configuration::title).toList();
        for (String neuron : PaperNumbers.NEURONS) {
            List<Double> means = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            boolean any = false;
            for (Configuration c : configs) {
                Stats stats = Stats.of(section.cell(neuron, c).stream().map(RunResult::testAccuracyPercent).toList());
                any |= stats.n() > 0;
                // XChart leaves a null bar out, so a cell without runs is not drawn as 0 %.
                means.add(stats.n() > 0 ? Double.valueOf(stats.mean()) : null);
                errors.add(stats.n() > 1 ? stats.std() : 0.0);
            }
            if (any) {
                // XChart cannot combine error bars with a missing bar: show them when every bar exists.
                CategorySeries series = means.contains(null) ? chart.addSeries(neuron, x, means)
                        : chart.addSeries(neuron, x, means, errors);
                series.setFillColor(colour(neuron));
            }
        }
        return chart;
    }

    /** Bars: x = hidden layer, one series per spiking neuron, mean of nb_spikes over its runs. */
    private static CategoryChart spikes(ReportData.Section section, Configuration config, String title) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("hidden layer").yAxisTitle("spikes per step (sum of firing rates)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        for (String neuron : PaperNumbers.NEURONS) {
            List<RunResult> runs = section.cell(neuron, config);
            double[] mean = meanCurve(runs.stream().map(RunResult::nbSpikes).toList(), 1.0);
            if (mean.length == 0 || Arrays.stream(mean).anyMatch(v -> !Double.isFinite(v))) {
                continue; // Non-Spiking layers do not fire; a NaN count has no bar to draw
            }
            List<String> layers = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int i = 0; i < mean.length; i++) {
                layers.add("layer " + (i + 1));
                y.add(mean[i]);
            }
            chart.addSeries(seriesName(neuron, runs.size()), layers, y).setFillColor(colour(neuron));
        }
        return chart;
    }

    /** Heat map: x = predicted class, y = true class, colour and label = test samples. */
    private static HeatMapChart confusion(RunResult run) {
        int[][] m = run.confusion();
        List<String> names = new ArrayList<>(run.classNames());
        if (names.isEmpty()) {
            for (int i = 0; i < m.length; i++) {
                names.add(Integer.toString(i));
            }
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(CONFUSION_WIDTH).height(CONFUSION_HEIGHT)
                .title("Test confusion, " + run.name() + " (" + run.neuron() + ")")
                .xAxisTitle("predicted class").yAxisTitle("true class").build();
        chart.getStyler().setShowValue(m.length <= 20);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(60);
        // White for 0 up to a mid blue, so the black counts stay legible.
        chart.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(66, 133, 196)});
        // XChart draws y index 0 at the bottom; reverse so the first true class is the top row.
        List<String> rows = new ArrayList<>(names);
        Collections.reverse(rows);
        List<Number[]> heat = new ArrayList<>();
        for (int truth = 0; truth < m.length; truth++) {
            for (int predicted = 0; predicted < m.length; predicted++) {
                heat.add(new Number[] {predicted, m.length - 1 - truth, m[truth][predicted]});
            }
        }
        chart.addSeries("test samples", names, rows, heat);
        return chart;
    }

    /** Element-wise mean over curves, cut to the shortest one, times {@code factor}. */
    static double[] meanCurve(List<List<Double>> curves, double factor) {
        int length = curves.stream().mapToInt(List::size).min().orElse(0);
        double[] mean = new double[length];
        for (List<Double> curve : curves) {
            for (int i = 0; i < length; i++) {
                mean[i] += curve.get(i) * factor / curves.size();
            }
        }
        return mean;
    }

    private static double[] epochs(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    /** One colour per neuron in every chart. */
    private static Color colour(String neuron) {
        return switch (neuron) {
            case "LIF" -> new Color(31, 119, 180);
            case "SPSN-SB" -> new Color(255, 127, 14);
            case "SPSN-GS" -> new Color(148, 103, 189);
            case "Non-Spiking" -> new Color(44, 160, 44);
            default -> registryColour(neuron);
        };
    }

    /** The other neurons of the registry: one hue each, spread around the colour wheel. */
    private static Color registryColour(String neuron) {
        spsn.model.NeuronType type = spsn.model.NeuronType.byName(neuron);
        if (type == null) {
            return Color.GRAY;
        }
        float hue = (type.ordinal() * 0.61803398875f) % 1f;
        return Color.getHSBColor(hue, 0.75f, 0.8f);
    }

    private static String seriesName(String neuron, int runs) {
        return runs > 1 ? neuron + " (mean of " + runs + ")" : neuron;
    }

    /**
     * The first epochs' loss can be 100× the rest (the regulariser): a log axis keeps both visible.
     * XChart labels only the powers of ten by default, so a loss between 0.2 and 3 got one label
     * ("1"); here every 1..9 × 10^k is labelled (0.3, 0.4, ... 1, 2, 3). (A custom label format
     * would turn XChart's log axis back into a linear one, so its own format is kept.)
     */
    static void useLogAxisIfPositive(XYChart chart) {
        boolean positive = chart.getSeriesMap().values().stream()
                .allMatch(series -> Arrays.stream(series.getYData()).allMatch(v -> v > 0 || Double.isNaN(v)));
        boolean log = positive && !chart.getSeriesMap().isEmpty();
        chart.getStyler().setYAxisLogarithmic(log);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(!log);
    }

    /** Writes the chart unless it has nothing to show (e.g. spikes of Non-Spiking runs only). */
    private static void saveIfAny(Chart<?, ?> chart, Path folder, String fileName, List<Path> written)
            throws IOException {
        if (!chart.getSeriesMap().isEmpty()) {
            written.add(save(chart, folder, fileName));
        }
    }

    private static Path save(Chart<?, ?> chart, Path folder, String fileName) throws IOException {
        Path file = folder.resolve(fileName);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
