package spsn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file written by Java is loaded by real PyTorch (torch.load, and weights_only=True where
 * available). Needs /usr/bin/python3 with torch; skipped without it (CI installs python3-torch).
 */
class TorchInteropTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final Path TOOL = Path.of("tools", "reference", "torch_state_dict.py");
    private static final long TIMEOUT_SECONDS = 300; // a guard against a hung interpreter, not a speed test

    @TempDir
    Path folder;

    @Test
    void torchLoadsJavaWrittenFileWithIdenticalValues() throws Exception {
        Assumptions.assumeTrue(torchAvailable(), PYTHON + " with torch is not available");
        StateDict dict = TorchStateDictRoundTripTest.randomDict(11);
        Path model = folder.resolve("java_written.pt");
        Path expected = folder.resolve("expected.json");
        TorchStateDictWriter.write(model, dict);
        IoTestSupport.writeExpectedJson(expected, dict);

        Result result = run(PYTHON, TOOL.toString(), "check", model.toString(), expected.toString());
        assertEquals(0, result.exitCode, "torch_state_dict.py check failed: " + result.output);
        assertTrue(result.output.contains("OK:"), result.output);
    }

    @Test
    void checkReportsAMismatch() throws Exception {
        // The check itself must be able to fail: a -0.0 turned into 0.0 is a mismatch.
        Assumptions.assumeTrue(torchAvailable(), PYTHON + " with torch is not available");
        StateDict written = new StateDict().put("w", Tensor.of(new float[] {1f, -0f}, 2));
        StateDict claimed = new StateDict().put("w", Tensor.of(new float[] {1f, 0f}, 2));
        Path model = folder.resolve("m.pt");
        Path expected = folder.resolve("claimed.json");
        TorchStateDictWriter.write(model, written);
        IoTestSupport.writeExpectedJson(expected, claimed);

        Result result = run(PYTHON, TOOL.toString(), "check", model.toString(), expected.toString());
        assertEquals(1, result.exitCode, result.output);
        assertTrue(result.output.contains("values of w differ"), result.output);
    }

    /** Null until first asked; importing torch takes seconds, so ask once. */
    private static Boolean torchAvailable;

    private static synchronized boolean torchAvailable() {
        if (torchAvailable == null) {
            torchAvailable = Files.isExecutable(Path.of(PYTHON)) && importsTorch();
        }
        return torchAvailable;
    }

    private static boolean importsTorch() {
        try {
            return run(PYTHON, "-c", "import torch").exitCode == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(TOOL), TOOL.toAbsolutePath() + " is missing");
        Path log = Files.createTempFile("torch-check", ".log");
        try {
            Process process = new ProcessBuilder(List.of(command))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " took over " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
