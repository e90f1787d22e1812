package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A test's own small JVM (a main class of the tests, 256 MiB of heap, offline), started with extra variables. */
final class ChildJvm {

    private ChildJvm() {
    }

    /** A finished command line: its exit code and its output (stdout and stderr together). */
    record Finished(int exitCode, String output) {
    }

    /**
     * Runs the tool's command line for a one-epoch synthetic run writing under {@code folder}, with
     * {@code flags} after its own and {@code environment} added, relaunch allowed (the tuned child
     * is where the environment's choices take effect).
     */
    static Finished trainWith(Map<String, String> environment, Path folder, String... flags) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "spsn.cli.Main"));
        command.addAll(trainingFlags(folder));
        command.addAll(List.of(flags));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("SPSN_NO_RELAUNCH");
        builder.environment().putAll(environment);
        Process run = builder.start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(60, TimeUnit.SECONDS), "hang guard");
        return new Finished(run.exitValue(), out);
    }

    /** The flags of {@link #trainWith}'s run: one epoch on the synthetic set, results under {@code folder}/out. */
    static List<String> trainingFlags(Path folder) {
        return List.of("--dataset", "synthetic", "--nb_epochs", "1", "--output_dir", folder.resolve("out").toString());
    }

    /** Runs {@code main} with {@code environment} added, asserts it exits 0, and returns its output. */
    static String run(Class<?> main, Map<String, String> environment, Path folder) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), main.getName());
        Path output = Files.createTempFile(folder, "child", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("ai.djl.offline", "true");
        Process child = builder.start();
        assertTrue(child.waitFor(300, TimeUnit.SECONDS), "hang guard");
        String out = Files.readString(output);
        assertEquals(0, child.exitValue(), out);
        return out;
    }
}
