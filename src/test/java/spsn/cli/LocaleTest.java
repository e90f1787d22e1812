package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A non-ASCII --dir under the POSIX locale (LANG=C, no LC_ALL), where the JVM writes file names
 * as ASCII: the relaunched run writes the folder's name as typed; a run in one JVM is refused
 * with what to do, instead of writing "r??sum??".
 */
class LocaleTest {

    private static final String DIR = "résumé_é";

    @TempDir
    Path tmp;

    private Process start(boolean relaunch) throws Exception {
        assumeTrue(ArgumentEncoding.utf8Names(), "this test JVM cannot pass non-ASCII arguments itself");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), "spsn.cli.Main"));
        command.addAll(Cli.SMALL);
        command.addAll(List.of("--nb_epochs", "1", "--output_dir", tmp.resolve("out").toString(), "--dir", DIR + "/"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("log.txt").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("LC_"));
        builder.environment().put("LANG", "C");
        if (relaunch) {
            builder.environment().remove("SPSN_NO_RELAUNCH");
        } else {
            builder.environment().put("SPSN_NO_RELAUNCH", "1");
        }
        Process p = builder.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return p;
    }

    @Test
    void theRelaunchedRunWritesTheFolderAsTyped() throws Exception {
        Process p = start(true);
        String log = Files.readString(tmp.resolve("log.txt"));
        assertEquals(0, p.exitValue(), log);
        assertTrue(Files.isDirectory(tmp.resolve("out").resolve(DIR)), log + " / " + Cli.files(tmp.resolve("out"), "", ""));
        assertEquals(1, Cli.files(tmp.resolve("out").resolve(DIR), "results_", ".json").size());
    }

    @Test
    void aRunInOneJvmIsRefusedWithWhatToDo() throws Exception {
        Process p = start(false);
        String log = Files.readString(tmp.resolve("log.txt"));
        assertEquals(2, p.exitValue(), log);
        assertTrue(log.startsWith("spsn: the command line has characters that the locale"), log);
        assertTrue(log.contains("LC_ALL=C.UTF-8"), log);
        assertTrue(Files.notExists(tmp.resolve("out")), "nothing written");
    }
}
