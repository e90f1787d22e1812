package spsn.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;

/**
 * What the run trains and tests on: one group of {@link RunSettings}.
 *
 * @param dataset a name of {@code spsn.data.registry.Datasets} ("heidelberg", "ssc", "synthetic", ...)
 * @param dataDir the folder holding the dataset's files
 * @param windowSize bin width of SHD spike times, seconds (ParaLIF's neurons bin with floor, SPSN's with ceil)
 * @param syntheticTrain training samples of the built-in synthetic sets
 * @param syntheticTest test samples of the built-in synthetic sets
 */
public record DataSettings(
        @JsonProperty("dataset") String dataset,
        @JsonProperty("data_dir") Path dataDir,
        @JsonProperty("window_size") double windowSize,
        @JsonProperty("synthetic_train") int syntheticTrain,
        @JsonProperty("synthetic_test") int syntheticTest) {

    /** The defaults of {@code spsn}'s flags. */
    public static final DataSettings DEFAULT = new DataSettings("heidelberg", Path.of("datasets"), 1e-3, 512, 128);
}
