package spsn.engine;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A python3 on PATH asked where its torch is: a pip-installed torch carries libtorch in
 * {@code torch/lib}. Each interpreter is asked once, with a time limit (importing torch reads a
 * few hundred megabytes the first time), and only about its version and folder: CUDA is not
 * initialised.
 */
public record PythonTorch(Path python, String version, String cuda, Path lib, String problem) {

    /** Seconds an interpreter may take to import torch. */
    static final int TIMEOUT_SECONDS = 20;
    private static final String MARK = "SPSN-TORCH";
    private static final String SCRIPT = "import os, torch\n"
            + "print('" + MARK + "', torch.__version__, torch.version.cuda, os.path.dirname(os.path.abspath(torch.__file__)))";

    /** Every executable python3 on {@code path} (a PATH value), in order, each real file once. */
    public static List<Path> onPath(String path) {
        Set<Path> seen = new LinkedHashSet<>();
        List<Path> found = new ArrayList<>();
        if (path == null) {
            return found;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path python = Path.of(dir, "python3");
            if (Files.isRegularFile(python) && Files.isExecutable(python)) {
                try {
                    if (seen.add(python.toRealPath())) {
                        found.add(python);
                    }
                } catch (IOException e) {
                    // vanished or unreadable: not a candidate
                }
            }
        }
        return found;
    }

    /** Asks {@code python} for its torch. */
    public static PythonTorch ask(Path python) {
        try {
            ShortProcess.Outcome asked = ShortProcess.run(new ProcessBuilder(python.toString(), "-c", SCRIPT),
                    TIMEOUT_SECONDS);
            if (!asked.finished()) {
                return failed(python, "import torch took over " + TIMEOUT_SECONDS + " s");
            }
            List<String> lines = asked.lines();
            for (String line : lines) {
                String[] words = line.strip().split(" ", 4);
                if (words.length == 4 && words[0].equals(MARK)) {
                    String cuda = words[2].equals("None") ? null : words[2];
                    return new PythonTorch(python, words[1], cuda, Path.of(words[3], "lib"), null);
                }
            }
            boolean noTorch = lines.stream().anyMatch(l -> l.contains("No module named 'torch'"));
            String last = lines.isEmpty() ? "exit code " + asked.exitCode() : lines.get(lines.size() - 1).strip();
            return failed(python, noTorch ? "no torch module" : "import torch failed: " + last);
        } catch (IOException e) {
            return failed(python, "could not run it: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(python, "interrupted");
        }
    }

    private static PythonTorch failed(Path python, String problem) {
        return new PythonTorch(python, null, null, null, problem);
    }
}
