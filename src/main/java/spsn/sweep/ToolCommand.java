package spsn.sweep;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import spsn.SpsnException;
import spsn.cli.Main;

/** How a sweep starts the tool for one of its runs: {@code java -jar <jar> sweep task DIR INDEX}. */
final class ToolCommand {

    private ToolCommand() {
    }

    /**
     * The jar runs are started from: {@code given} (made absolute) or the jar this JVM runs;
     * it must exist, as every run (on every node) starts it.
     */
    static Path jar(Path given) {
        Path jar = given != null ? given.toAbsolutePath().normalize() : runningJar().orElseThrow(() ->
                SpsnException.usage("--jar: this is not running from spsn.jar; give the jar every run starts"
                        + " (e.g. --jar target/spsn.jar)"));
        if (!Files.isRegularFile(jar)) {
            throw SpsnException.usage("--jar: " + jar + " does not exist; build it with mvn -q package -DskipTests");
        }
        return jar;
    }

    private static Optional<Path> runningJar() {
        try {
            Path location = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.toString().endsWith(".jar") ? Optional.of(location.toAbsolutePath()) : Optional.empty();
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return Optional.empty();
        }
    }

    /** The java executable of this JVM, to start local runs with the same Java. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * JVM flags that keep one run to {@code threads} cores: the engine's intra-op threads and
     * the JVM's own (parallel streams, GC).
     */
    static List<String> threadFlags(String threads) {
        List<String> flags = new ArrayList<>();
        flags.add("-XX:ActiveProcessorCount=" + threads);
        flags.add("-Dai.djl.pytorch.num_threads=" + threads);
        flags.add("-Dai.djl.pytorch.num_interop_threads=1");
        return flags;
    }
}
