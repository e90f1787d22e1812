package spsn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import spsn.SpsnException;
import spsn.cli.RasterCommand;
import spsn.data.SpikeSample;
import spsn.data.SyntheticDataset;

class RasterCommandTest {

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        RasterCommand command = new RasterCommand();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.parseArgs(args);
        assertEquals(0, command.call());
        return out.toString();
    }

    @Test
    void drawsDecodablePngsOfSyntheticSamples(@TempDir Path tmp) throws Exception {
        String stdout = run("--dataset", "synthetic", "--split", "test", "--index", "0", "3", "--out", tmp.toString());
        for (int index : new int[] {0, 3}) {
            Path file = tmp.resolve("raster_synthetic_test_" + index + ".png");
            BufferedImage image = ImageIO.read(file.toFile());
            assertNotNull(image, file + " decodes");
            assertEquals(RasterChart.WIDTH, image.getWidth());
            assertEquals(RasterChart.HEIGHT, image.getHeight());
            assertTrue(stdout.contains("Wrote " + file), stdout);
        }
        // The title names the sample's class, taken from the data set itself.
        SpikeSample sample = SyntheticDataset.generate(0, SyntheticDataset.DEFAULT_TRAIN, SyntheticDataset.DEFAULT_TEST)
                .test().get(3);
        assertTrue(stdout.contains("synthetic test sample 3: class " + sample.label() + " ("), stdout);
        assertTrue(stdout.contains(sample.spikeCount() + " spikes"), stdout);
    }

    @Test
    void moreSpikesDrawMoreDots(@TempDir Path tmp) throws Exception {
        SpikeSample few = SpikeSample.of(new int[] {10}, new short[] {100}, 0);
        int[] bins = new int[400];
        short[] units = new short[400];
        for (int i = 0; i < bins.length; i++) {
            bins[i] = i;
            units[i] = (short) (i * 7 % 700);
        }
        SpikeSample many = SpikeSample.of(bins, units, 0);
        RasterChart.write(RasterChart.chart(few, 700, "few"), tmp.resolve("few.png"));
        RasterChart.write(RasterChart.chart(many, 700, "many"), tmp.resolve("many.png"));
        long fewDots = nonGreyPixels(ImageIO.read(tmp.resolve("few.png").toFile()));
        long manyDots = nonGreyPixels(ImageIO.read(tmp.resolve("many.png").toFile()));
        assertTrue(manyDots > fewDots + 300, fewDots + " vs " + manyDots);

        // A sample without spikes still gives an (empty) raster.
        SpikeSample empty = SpikeSample.of(new int[0], new short[0], 0);
        RasterChart.write(RasterChart.chart(empty, 700, "empty"), tmp.resolve("empty.png"));
        assertEquals(0, nonGreyPixels(ImageIO.read(tmp.resolve("empty.png").toFile())));
    }

    @Test
    void badIndexNamesTheIndexAndTheValidRange(@TempDir Path tmp) {
        int size = SyntheticDataset.DEFAULT_TRAIN;
        SpsnException e = assertThrows(SpsnException.class,
                () -> run("--dataset", "synthetic", "--index", "1", String.valueOf(size), "--out", tmp.toString()));
        assertEquals(SpsnException.USAGE, e.exitCode());
        assertEquals("--index " + size + " is out of range: the synthetic train split has " + size
                + " samples, valid indices are 0.." + (size - 1), e.getMessage());
        assertEquals(0, tmp.toFile().list().length, "nothing is drawn when an index is bad");
        SpsnException negative = assertThrows(SpsnException.class,
                () -> run("--dataset", "synthetic", "--index=-1", "--out", tmp.toString()));
        assertTrue(negative.getMessage().startsWith("--index -1 is out of range"), negative.getMessage());
    }

    @Test
    void badDatasetOrSplitIsAUsageError(@TempDir Path tmp) {
        SpsnException dataset = assertThrows(SpsnException.class, () -> run("--dataset", "mnist"));
        assertEquals(SpsnException.USAGE, dataset.exitCode());
        assertTrue(dataset.getMessage().contains("mnist"));
        SpsnException split = assertThrows(SpsnException.class, () -> run("--split", "dev"));
        assertEquals("--split dev is not train, valid or test", split.getMessage());
        SpsnException noValid = assertThrows(SpsnException.class, () -> run("--split", "valid"));
        assertEquals("--split valid: heidelberg has no validation split; choose train or test", noValid.getMessage());
    }

    @Test
    void drawsTheValidationSplitOfAnSscShapedSet(@TempDir Path tmp) throws IOException {
        String stdout = run("--dataset", "synthetic-ssc", "--split", "valid", "--index", "34", "--out", tmp.toString());
        Path png = tmp.resolve("raster_synthetic-ssc_valid_34.png");
        assertTrue(stdout.contains("class 34 (class-34)"), stdout);
        assertTrue(ImageIO.read(png.toFile()).getHeight() > 0);
    }

    @Test
    void missingShdFilesSayWhereToGetThem(@TempDir Path tmp) {
        SpsnException e = assertThrows(SpsnException.class,
                () -> run("--data_dir", tmp.toString(), "--out", tmp.resolve("r").toString()));
        assertEquals(SpsnException.DATA, e.exitCode());
        assertTrue(e.getMessage().contains("shd_train.h5"), e.getMessage());
        assertTrue(Files.notExists(tmp.resolve("r")));
    }

    /** Pixels that are neither the grey background nor white plot area nor black text: the dots. */
    private static long nonGreyPixels(BufferedImage image) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                int r = rgb >> 16 & 0xff;
                int g = rgb >> 8 & 0xff;
                int b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 40) {
                    n++;
                }
            }
        }
        return n;
    }
}
