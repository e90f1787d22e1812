package spsn.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;

/**
 * How this process runs, not what it computes: one group of {@link RunSettings}, saved in
 * checkpoints but not in PARAMS (where results go, progress bars, checkpoint cadence).
 *
 * @param outputDir folder for results and models (the run's --dir is appended)
 * @param checkpointEvery write a checkpoint every this many epochs (0: only when interrupted)
 */
public record SessionSettings(
        @JsonProperty("output_dir") Path outputDir,
        @JsonProperty("progress") boolean progress,
        @JsonProperty("checkpoint_every") int checkpointEvery) {

    /** The defaults of {@code spsn}'s flags. */
    public static final SessionSettings DEFAULT = new SessionSettings(Path.of("outputs"), true, 1);
}
