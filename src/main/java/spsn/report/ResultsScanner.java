package spsn.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import spsn.SpsnException;

/**
 * Finds every {@code results_*.json} below an outputs folder (at any depth, as training's
 * {@code --dir} may nest) and parses them. A file or folder that cannot be read is skipped with
 * one warning line, so one bad file never stops the report.
 */
public final class ResultsScanner {

    private static final Pattern RESULTS_NAME = Pattern.compile("results_.*\\.json");

    /** A file that was skipped, and why. */
    public record Unreadable(String name, String reason) {
    }

    /** Everything found: parsed runs (partial ones included) sorted by name, and the skipped files. */
    public record ScanResult(List<RunResult> runs, List<Unreadable> unreadable) {
    }

    private ResultsScanner() {
    }

    /** Scans {@code outputsDir}, printing warnings to standard error. */
    public static ScanResult scan(Path outputsDir) {
        return scan(outputsDir, System.err);
    }

    /**
     * Scans {@code outputsDir}, printing one "warning: ..." line per skipped file to {@code warnings}.
     *
     * @throws SpsnException (data) when {@code outputsDir} is not a folder
     */
    public static ScanResult scan(Path outputsDir, PrintStream warnings) {
        if (!Files.isDirectory(outputsDir)) {
            throw SpsnException.data("outputs folder " + outputsDir
                    + " does not exist or is not a folder; train first (scripts/paper.sh) or pass --outputs");
        }
        List<Path> files = new ArrayList<>();
        List<Unreadable> unreadable = new ArrayList<>();
        try {
            Files.walkFileTree(outputsDir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && RESULTS_NAME.matcher(file.getFileName().toString()).matches()) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    String name = relativeName(outputsDir, file);
                    warnings.println("warning: skipping " + file + ": cannot be read (" + e + ")");
                    unreadable.add(new Unreadable(name, "cannot be read"));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw SpsnException.data("cannot list outputs folder " + outputsDir + ": " + e.getMessage(), e);
        }
        List<RunResult> runs = new ArrayList<>();
        for (Path file : files) {
            String name = relativeName(outputsDir, file);
            try {
                runs.add(RunResult.read(file, name));
            } catch (SpsnException e) {
                String reason = withoutPrefix(e.getMessage(), name);
                warnings.println("warning: skipping " + file + ": " + reason);
                unreadable.add(new Unreadable(name, reason));
            }
        }
        runs.sort(Comparator.comparing(RunResult::name));
        unreadable.sort(Comparator.comparing(Unreadable::name));
        return new ScanResult(List.copyOf(runs), List.copyOf(unreadable));
    }

    /** Path relative to the scanned folder with '/' separators, the same on every system. */
    static String relativeName(Path root, Path file) {
        Path rel = root.relativize(file);
        List<String> parts = new ArrayList<>();
        for (Path p : rel) {
            parts.add(p.toString());
        }
        return String.join("/", parts);
    }

    /** RunResult's messages start with the file name; the warning names the full path instead. */
    private static String withoutPrefix(String message, String name) {
        if (message.startsWith(name)) {
            String rest = message.substring(name.length());
            return rest.startsWith(":") ? rest.substring(1).trim() : rest.trim();
        }
        return message;
    }
}
