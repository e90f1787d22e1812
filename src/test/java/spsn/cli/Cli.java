package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Runs the command line in this JVM with its output captured, and checks what it printed. */
final class Cli {

    /** A small, fast synthetic run: add --output_dir, --seed, --neuron, --nb_epochs... */
    static final List<String> SMALL = List.of("--dataset", "synthetic", "--synthetic_train", "32",
            "--synthetic_test", "16", "--batch_size", "16", "--hidden_size", "16", "--progress", "False");

    private static final ObjectMapper JSON = new ObjectMapper();

    private Cli() {
    }

    /** Exit code and what went to standard output and standard error. */
    record Result(int code, String out, String err) {

        /** Standard error's lines, without blank ones. */
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }

        /**
         * The documented failure shape: {@code code}, one line on standard error, starting with
         * "spsn: " and containing every fragment, and no stack trace.
         */
        Result assertError(int expectedCode, String... fragments) {
            String context = "stderr:\n" + err + "\nstdout:\n" + out;
            assertEquals(expectedCode, code, context);
            assertEquals(1, errLines().size(), "one line on stderr; " + context);
            String line = errLines().get(0);
            assertTrue(line.startsWith("spsn: "), context);
            for (String fragment : fragments) {
                assertTrue(line.contains(fragment), "stderr should contain '" + fragment + "'; " + context);
            }
            assertFalse(err.contains("Exception"), "no exception names; " + context);
            assertFalse(err.contains("\tat "), "no stack trace; " + context);
            return this;
        }

        Result assertOk() {
            assertEquals(0, code, "stderr:\n" + err + "\nstdout:\n" + out);
            return this;
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** {@link #SMALL} followed by {@code more}. */
    static Result small(String... more) {
        List<String> args = new ArrayList<>(SMALL);
        args.addAll(Arrays.asList(more));
        return run(args.toArray(String[]::new));
    }

    /** The one file in {@code dir} whose name starts with {@code prefix} and ends with {@code suffix}. */
    static Path onlyFile(Path dir, String prefix, String suffix) throws IOException {
        List<Path> found = files(dir, prefix, suffix);
        assertEquals(1, found.size(), "files " + prefix + "*" + suffix + " in " + dir + ": " + found);
        return found.get(0);
    }

    static List<Path> files(Path dir, String prefix, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    static JsonNode json(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    /** A file under src/test/resources. */
    static Path resource(String name) {
        URL url = Cli.class.getResource("/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test resource " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
