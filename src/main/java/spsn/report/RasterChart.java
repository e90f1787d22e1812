package spsn.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import spsn.SpsnException;
import spsn.data.SpikeSample;

/** Draws one sample's spike raster: x = time (ms, one bin per ms), y = channel, one dot per spike. */
public final class RasterChart {

    static {
        // Rendered off-screen; this must be set before AWT initialises.
        System.setProperty("java.awt.headless", "true");
    }

    /** Image size, pixels. */
    public static final int WIDTH = 1000;
    public static final int HEIGHT = 700;

    private RasterChart() {
    }

    /** Builds the chart of {@code sample} with {@code nbChannels} rows. */
    public static XYChart chart(SpikeSample sample, int nbChannels, String title) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("time (ms)").yAxisTitle("channel").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(2);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax((double) Math.max(1, nbChannels - 1));
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax((double) Math.max(1, sample.length()));
        int n = sample.spikeCount();
        double[] x = new double[n];
        double[] y = new double[n];
        int[] bins = sample.bins();
        for (int i = 0; i < n; i++) {
            x[i] = bins[i];
            y[i] = sample.unit(i);
        }
        if (n > 0) {
            chart.addSeries("spikes", x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /** Writes the chart as a PNG file, creating its folder. */
    public static void write(XYChart chart, Path file) {
        try {
            Path folder = file.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw SpsnException.data("cannot write raster plot " + file + ": " + e.getMessage(), e);
        }
    }
}
