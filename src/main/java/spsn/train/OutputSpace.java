package spsn.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import spsn.SpsnException;

/**
 * Whether the output folder has room for what a run will write, checked before epoch 1 so that
 * a full disk is not first noticed when the results are written after hours of training. The
 * sizes are estimated from the network's parameter count: the model file holds the parameters
 * as float32; a checkpoint also holds Adamax's two moments, and while it is replaced the old and
 * the new tensors files are both on disk; the results file grows with the epochs and the
 * confusion matrix.
 */
final class OutputSpace {

    /** Zip headers, pickle and alignment of a tensors file, per tensor (generous). */
    private static final long PER_TENSOR = 512;
    private static final long FIXED = 64 * 1024;

    private OutputSpace() {
    }

    /** Bytes the run's files need at most at one time. */
    static long estimate(long parameters, int tensors, RunSettings s, int nbClasses) {
        long model = s.output().saveModel() ? 4 * parameters + PER_TENSOR * tensors : 0;
        long checkpoint = 2 * (12 * parameters + 3 * PER_TENSOR * tensors);
        long results = FIXED + 160L * s.training().nbEpochs() + 24L * nbClasses * nbClasses;
        long metrics = 256L * s.training().nbEpochs(); // a CSV row: ~10 numbers plus one per layer
        return model + checkpoint + 2 * results + 2 * metrics + FIXED;
    }

    /**
     * Refuses to start when {@code dir} has less usable space than {@code needed} bytes.
     *
     * @throws SpsnException (data) naming the folder, the free space and the estimate
     */
    static void require(Path dir, long needed) {
        long free;
        try {
            free = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException | SecurityException e) {
            return; // the space cannot be known here: the writes themselves will tell
        }
        if (free < needed) {
            throw SpsnException.data("output folder " + dir + " has " + size(free) + " free but this run needs about "
                    + size(needed) + " for its results, model and checkpoint files; free some space or choose"
                    + " another folder with --output_dir");
        }
    }

    static String size(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.0f KiB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
