package spsn;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The original authors' published models and results, {@code ../shared/models} beside the
 * checkout (CI has it; a fresh clone does not, so the tests that need it skip, with a one-line
 * reason). {@code SPSN_SHARED} (environment) or {@code -Dspsn.shared} points elsewhere.
 */
public final class SharedModels {

    private SharedModels() {
    }

    /** The folder holding basic/, data_aug/, regul/ (it may be absent). */
    public static Path folder() {
        String root = System.getProperty("spsn.shared", System.getenv("SPSN_SHARED"));
        return (root == null || root.isBlank() ? Path.of("..", "shared") : Path.of(root)).resolve("models");
    }

    /** The folder, or the calling test is skipped (not failed) when it is absent. */
    public static Path require() {
        Path folder = folder();
        assumeTrue(Files.isDirectory(folder), () -> "skipped: the published models folder "
                + folder.toAbsolutePath().normalize() + " is absent (set SPSN_SHARED to the folder holding models/)");
        return folder;
    }

    /** One published file (relative to the models folder), or the calling test is skipped. */
    public static Path require(String file) {
        Path path = require().resolve(file);
        assumeTrue(Files.isRegularFile(path), () -> "skipped: " + path.toAbsolutePath().normalize() + " is absent");
        return path;
    }
}
