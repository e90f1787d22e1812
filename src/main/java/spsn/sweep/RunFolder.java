package spsn.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import spsn.cli.TrainingFlags;

/**
 * What a run has left in its folder: final results (done), a checkpoint (resumable) or
 * nothing yet. Read from the files, so it holds however the last attempt ended.
 */
final class RunFolder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path sweepDir;
    /** Where training writes the run's files: its --output_dir plus its --dir. */
    private final Path files;

    private RunFolder(Path sweepDir, Path files) {
        this.sweepDir = sweepDir;
        this.files = files;
    }

    static RunFolder of(Path sweepDir, SweepRun run) {
        List<String> args = SweepPlan.withOutputDir(run.flags, sweepDir, run.key);
        return new RunFolder(sweepDir, TrainingFlags.check(args).runDir());
    }

    /** The run's final (not partial) results file. */
    Optional<Path> finalResults() {
        return list("results_").filter(f -> !json(f).map(r -> r.path("partial").asBoolean(false)).orElse(true))
                .findFirst();
    }

    /** The run's checkpoint, from which the next attempt resumes. */
    Optional<Path> checkpoint() {
        return list("checkpoint_").reduce((a, b) -> b);
    }

    /** {@code file} relative to the sweep's folder, as the manifest records it. */
    String relative(Path file) {
        return sweepDir.relativize(file).toString().replace('\\', '/');
    }

    private Stream<Path> list(String prefix) {
        if (!Files.isDirectory(files)) {
            return Stream.empty();
        }
        try (Stream<Path> all = Files.list(files)) {
            return all.filter(f -> f.getFileName().toString().startsWith(prefix)
                    && f.getFileName().toString().endsWith(".json")).sorted().toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    private static Optional<JsonNode> json(Path file) {
        try {
            return Optional.ofNullable(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
