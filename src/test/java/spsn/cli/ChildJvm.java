package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A test's own small JVM (a main class of the tests, 256 MiB of heap, offline), started with extra variables. */
final class ChildJvm {

    private ChildJvm() {
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
