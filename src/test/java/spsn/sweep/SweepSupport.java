package spsn.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import spsn.cli.Main;

/** What the sweep tests share: the tool's command line in this JVM, a jar to start runs from, results. */
final class SweepSupport {

    /** Numbers that must be the same for the same run however it was executed. */
    static final List<String> SAME = List.of("loss_hist", "train_accuracies", "test_accuracies", "nb_spikes",
            "test_confusion");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SweepSupport() {
    }

    record Result(int code, String out, String err) {

        Result assertOk() {
            assertEquals(0, code, "stderr:\n" + err + "\nstdout:\n" + out);
            return this;
        }
    }

    static Result spsn(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * A jar that starts this build (the tests run before {@code mvn package}): no classes, a
     * manifest whose Class-Path is this JVM's class path. The runs start it as they start spsn.jar.
     */
    static Path toolJar(Path dir) throws IOException {
        Path jar = dir.resolve("spsn-under-test.jar");
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        String classPath = List.of(System.getProperty("java.class.path").split(File.pathSeparator)).stream()
                .map(p -> Path.of(p).toAbsolutePath().toUri().toString()).collect(Collectors.joining(" "));
        main.put(Attributes.Name.CLASS_PATH, classPath);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.flush();
        }
        return jar;
    }

    /** The final results of every run of a sweep, by run key. */
    static java.util.Map<String, JsonNode> results(Path sweepDir) throws IOException {
        java.util.Map<String, JsonNode> byKey = new java.util.TreeMap<>();
        JsonNode manifest = JSON.readTree(sweepDir.resolve("sweep.json").toFile());
        for (JsonNode run : manifest.get("runs")) {
            assertEquals("done", run.get("state").asText(), run.toString());
            byKey.put(run.get("key").asText(), JSON.readTree(sweepDir.resolve(run.get("results").asText()).toFile()));
        }
        return byKey;
    }

    static JsonNode json(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    static List<Path> files(Path dir, String prefix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var list = Files.list(dir)) {
            return new ArrayList<>(list.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList());
        }
    }
}
