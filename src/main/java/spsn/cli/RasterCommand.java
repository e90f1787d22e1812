package spsn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import spsn.SpsnException;
import spsn.data.BinningRule;
import spsn.data.SpikeDataset;
import spsn.data.SpikeSample;
import spsn.data.TrainTest;
import spsn.data.registry.DatasetSpec;
import spsn.data.registry.Datasets;
import spsn.io.OutputFolder;
import spsn.report.RasterChart;

/** {@code spsn raster}: PNG spike rasters of dataset samples, to see what the network is given. */
@Command(name = "raster", mixinStandardHelpOptions = true,
        description = "Draws the spike raster of dataset samples (x: time in ms, y: channel, one dot per "
                + "spike; the class in the title) as PNG files.")
public class RasterCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", defaultValue = "heidelberg", paramLabel = "NAME",
            description = "heidelberg (SHD files in --data_dir), ssc, synthetic, synthetic-ssc or synthetic-order (built in)."
                    + " Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(names = "--data_dir", defaultValue = "datasets", paramLabel = "DIR",
            description = "Folder holding the dataset's files. Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--split", defaultValue = "train", paramLabel = "SPLIT",
            description = "train, valid (datasets with a validation split) or test. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--index", arity = "1..*", split = ",", defaultValue = "0", paramLabel = "N",
            description = "Sample indices (several allowed). Default: ${DEFAULT-VALUE}.")
    List<Integer> indices;

    @Option(names = "--seed", defaultValue = "0",
            description = "Seed of the synthetic dataset. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", defaultValue = "outputs/raster", paramLabel = "DIR",
            description = "Folder for the PNG files. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() {
        if (!split.equals("train") && !split.equals("valid") && !split.equals("test")) {
            throw SpsnException.usage("--split " + split + " is not train, valid or test");
        }
        OutputFolder.require("--out", out, "the PNG files");
        DatasetSpec source = Datasets.byName("--dataset", dataset);
        if (split.equals("valid") && !source.hasValidSplit()) {
            throw SpsnException.usage("--split valid: " + source.name() + " has no validation split; choose train or test");
        }
        SpikeDataset data = load(source);
        for (int index : indices) {
            if (index < 0 || index >= data.size()) {
                throw SpsnException.usage("--index " + index + " is out of range: the " + dataset + " " + split
                        + " split has " + data.size() + " samples, valid indices are 0.." + (data.size() - 1));
            }
        }
        PrintWriter stdout = spec.commandLine().getOut();
        for (int index : indices) {
            SpikeSample sample = data.get(index);
            String className = sample.label() < data.nbClasses() ? data.classNames().get(sample.label()) : "?";
            String title = dataset + " " + split + " sample " + index + ": class " + sample.label()
                    + " (" + className + "), " + sample.spikeCount() + " spikes";
            Path file = out.resolve("raster_" + dataset + "_" + split + "_" + index + ".png");
            RasterChart.write(RasterChart.chart(sample, data.nbChannels(), title), file);
            stdout.println("Wrote " + file + " (" + title + ")");
        }
        stdout.flush();
        return 0;
    }

    private SpikeDataset load(DatasetSpec source) {
        TrainTest splits = source.load(dataDir, BinningRule.SPSN, seed, source.sizes().train(), source.sizes().test());
        return switch (split) {
            case "train" -> splits.train();
            case "valid" -> splits.valid();
            default -> splits.test();
        };
    }
}
