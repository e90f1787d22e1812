package spsn.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes what runs killed in the middle of a write left in a folder: hidden temporary files
 * of their results, metrics, model or checkpoint writes ({@code .results_N_ID.json.xyz.tmp}, see
 * {@link spsn.io.AtomicFiles}), checkpoint tensors that no checkpoint names (a .pt written
 * just before a kill, or one whose .json is gone) and unlocked lock files of dead processes.
 * Only files of runs that no live process holds (see {@link RunLock}) are touched, so a run
 * in progress beside this one keeps its files.
 */
final class Leftovers {

    private static final Pattern TEMP = Pattern.compile("\\.(?:results|metrics|model|checkpoint)_([A-Za-z-]+)_(\\d+)\\..*\\.tmp");
    private static final Pattern TENSORS = Pattern.compile("checkpoint_([A-Za-z-]+)_(\\d+)\\.\\d+\\.pt");
    private static final Pattern LOCK = Pattern.compile("run_([A-Za-z-]+)_(\\d+)\\.lock");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Leftovers() {
    }

    /** Removes the leftovers in {@code dir} and returns how many files it removed. */
    static int sweep(Path dir) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
            list.forEach(files::add);
        } catch (IOException e) {
            return 0; // an unreadable folder fails later with a clear message
        }
        List<String> referenced = null;
        int removed = 0;
        for (Path file : files) {
            String name = file.getFileName().toString();
            Matcher lock = LOCK.matcher(name);
            if (lock.matches()) {
                removed += RunLock.removeIfStale(file) ? 1 : 0;
                continue;
            }
            Matcher temp = TEMP.matcher(name);
            Matcher tensors = TENSORS.matcher(name);
            Matcher run = temp.matches() ? temp : tensors.matches() ? tensors : null;
            if (run == null || RunLock.held(dir, run.group(1), Long.parseLong(run.group(2)))) {
                continue;
            }
            if (run == tensors) {
                referenced = referenced != null ? referenced : referencedTensors(files);
                if (referenced == null || referenced.contains(name)) {
                    continue;
                }
            }
            try {
                removed += Files.deleteIfExists(file) ? 1 : 0;
            } catch (IOException e) {
                // Only takes space.
            }
        }
        return removed;
    }

    /**
     * The tensors files that the checkpoints in the folder name, whatever the checkpoints are
     * called (a user may rename one); null when one cannot be read (then every one is kept).
     */
    private static List<String> referencedTensors(List<Path> files) {
        List<String> names = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (!name.endsWith(".json") || name.startsWith("results_") || name.startsWith(".")) {
                continue;
            }
            try {
                JsonNode root = JSON.readTree(file.toFile());
                if (root != null && CheckpointJson.FORMAT.equals(root.path("format").asText())) {
                    names.add(root.path("tensors").asText());
                }
            } catch (IOException e) {
                return null;
            }
        }
        return names;
    }
}
