package spsn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import spsn.SpsnException;
import spsn.data.fetch.DatasetFetcher;
import spsn.data.fetch.DatasetSources;
import spsn.data.fetch.RemoteFile;
import spsn.data.registry.DatasetSpec;
import spsn.data.registry.Datasets;

/** {@code spsn datasets fetch shd|ssc}: downloads, checks and unpacks a dataset's files. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = "Downloads the dataset's archives (resuming a partial download), checks their published MD5,"
                + " and unpacks the .h5 files into the data folder. Files already there are kept.")
public class FetchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATASET", description = "shd (Spiking Heidelberg Digits; also: heidelberg)"
            + " or ssc (Spiking Speech Commands).")
    String dataset;

    @Option(names = "--data_dir", defaultValue = "datasets", paramLabel = "DIR",
            description = "Folder that receives the .h5 files. Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--url", paramLabel = "BASE", description = "Base URL of a mirror holding the archives (default:"
            + " $" + DatasetSources.MIRROR_ENV + ", else " + DatasetSources.DEFAULT_BASE + ").")
    String url;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "Longest wait for a connection, an answer or more data. Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    @Option(names = "--progress", defaultValue = "True", arity = "1", converter = PythonBoolean.class,
            description = "True or False: show a progress bar. Default: ${DEFAULT-VALUE}.")
    boolean progress;

    @Override
    public Integer call() {
        if (timeoutSeconds <= 0) {
            throw SpsnException.usage("--timeout: must be a positive number of seconds, got " + timeoutSeconds);
        }
        PrintWriter out = spec.commandLine().getOut();
        DatasetSpec spec = Datasets.byName("datasets fetch", dataset);
        if (spec.generated()) {
            throw SpsnException.usage("datasets fetch: " + spec.name() + " is generated, there is nothing to fetch;"
                    + " choose shd or ssc");
        }
        new DatasetFetcher(DatasetSources.base(url, System.getenv()), Duration.ofSeconds(timeoutSeconds), progress, out)
                .fetch(spec.title(), DatasetSources.files(spec.fetchName()), dataDir);
        return 0;
    }

    /** {@code --download True} of a training run: fetches the files of {@code dataset} that are missing. */
    static void fetchIfMissing(String dataset, Path dataDir, boolean progress, PrintWriter out) {
        DatasetSpec spec = Datasets.byName("--dataset", dataset);
        if (spec.generated()) {
            return;
        }
        List<RemoteFile> files = DatasetSources.files(spec.fetchName());
        if (!DatasetFetcher.present(files, dataDir)) {
            new DatasetFetcher(DatasetSources.base(null, System.getenv()), DatasetFetcher.DEFAULT_TIMEOUT, progress, out)
                    .fetch(spec.title(), files, dataDir);
        }
    }
}
