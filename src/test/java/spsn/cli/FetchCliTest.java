package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spsn.data.fetch.LocalServer;

/**
 * {@code datasets fetch} and {@code --download True} from the command line, with the real file
 * table, against a local server (which cannot hold files of the real checksums: these tests
 * cover the failures; DatasetFetcherTest covers success with a table of its own).
 */
class FetchCliTest {

    @TempDir
    Path tmp;

    private LocalServer server;

    @BeforeEach
    void start() throws IOException {
        server = new LocalServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Cli.Result fetch(String... more) {
        List<String> args = new ArrayList<>(List.of("datasets", "fetch"));
        args.addAll(List.of(more));
        args.addAll(List.of("--data_dir", tmp.resolve("data").toString(), "--progress", "False"));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void wrongBytesFailTheChecksumAndAreDeleted() throws IOException {
        server.serve("shd_train.h5.zip", "not the real archive".getBytes(StandardCharsets.UTF_8),
                LocalServer.Mode.NORMAL);
        Cli.Result r = fetch("shd", "--url", server.base().toString());
        r.assertError(1, "checksum mismatch", "shd_train.h5.zip.part", "f3252aeb598ac776c1b526422d90eecb",
                "the download is deleted");
        assertTrue(r.out().contains("Downloading " + server.base() + "shd_train.h5.zip"), r.out());
        try (var left = Files.list(tmp.resolve("data"))) {
            assertEquals(0, left.count(), "nothing left in the data folder");
        }
    }

    @Test
    void missingFileOnTheMirrorIsOneLine() {
        fetch("ssc", "--url", server.base().toString()).assertError(1, "ssc_train.h5.zip: not found (HTTP 404)",
                "md5sums.txt", "--url");
    }

    @Test
    void badArgumentsAreUsageErrors() {
        fetch("mnist").assertError(2, "datasets fetch: unknown dataset 'mnist'; choose heidelberg, ssc");
        fetch("synthetic").assertError(2, "synthetic is generated, there is nothing to fetch");
        fetch("shd", "--url", "ftp://example.org/").assertError(2, "--url", "http:// or https://");
        fetch("shd", "--timeout", "0").assertError(2, "--timeout");
        Cli.run("datasets").assertError(2, "give a subcommand");
    }

    @Test
    void presentFilesAreKeptWithoutNetwork() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("shd_train.h5"), "x");
        Files.writeString(data.resolve("shd_test.h5"), "y");
        Cli.Result r = fetch("shd", "--url", server.base().toString()).assertOk();
        assertTrue(r.out().contains("shd_train.h5: present"), r.out());
        assertEquals(List.of(), server.requests());
    }

    @Test
    void trainingRunWithDownloadFetchesFromTheMirrorInTheEnvironment() throws Exception {
        server.serve("shd_train.h5.zip", "wrong".getBytes(StandardCharsets.UTF_8), LocalServer.Mode.NORMAL);
        Path data = tmp.resolve("data");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), "spsn.cli.Main",
                "--download", "True", "--data_dir", data.toString(), "--output_dir", tmp.resolve("out").toString(),
                "--nb_epochs", "1", "--progress", "False"));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("SPSN_DATASETS_URL", server.base().toString());
        builder.environment().put("SPSN_NO_RELAUNCH", "1");
        Process p = builder.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run ends");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.exitValue(), out + err);
        assertTrue(out.contains("Downloading " + server.base() + "shd_train.h5.zip"), out);
        assertTrue(err.startsWith("spsn: checksum mismatch: "), err);
        assertEquals(1, err.lines().filter(l -> !l.isBlank()).count(), err);
        assertFalse(Files.exists(data.resolve("shd_train.h5")));
    }
}
