package spsn.engine;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A helper process asked one question (ldd, a python3, a probe JVM): run to its end or a time
 * limit, with no input, its stdout and stderr together in a temporary file (no pipe that a
 * chatty process could fill and block on).
 */
final class ShortProcess {

    /** How it ended: within the limit (its exit code and output lines) or not (killed). */
    record Outcome(boolean finished, int exitCode, List<String> lines) {
    }

    private ShortProcess() {
    }

    static Outcome run(ProcessBuilder builder, int timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("spsn-ask", ".txt");
        try {
            Process process = builder.redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            try {
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return new Outcome(false, -1, List.of());
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                throw e;
            }
            return new Outcome(true, process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
