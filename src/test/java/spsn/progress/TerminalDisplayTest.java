package spsn.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees: the tool in a real terminal (a 140-column tmux pane, read back with
 * capture-pane) draws tqdm-like bars as wide as the pane; with its output going to a file (a
 * log, a Slurm job) it writes plain lines, one per epoch, without carriage returns.
 */
class TerminalDisplayTest {

    private static final int COLUMNS = 140;
    /** Hidden layers of 128 so that a batch outlasts the bars' refresh and the poll below: with 16, a
     *  fast machine's pane was never caught with a batch bar drawn. */
    private static final List<String> RUN = List.of("--dataset", "synthetic", "--synthetic_train", "64",
            "--synthetic_test", "16", "--batch_size", "8", "--hidden_size", "128", "--seed", "3", "--neuron", "SPSN-SB",
            "--nb_epochs", "2");
    /** A batch bar once a batch is done: rate with its unit, remaining time, loss and accuracy. */
    private static final Pattern BATCH_BAR = Pattern.compile("Epoch [12]/2: +\\d+%\\|[^|]+\\| [1-7]/8 "
            + "\\[\\d\\d:\\d\\d<\\d\\d:\\d\\d, \\d+\\.\\d (batch/s|s/batch), loss=\\d+\\.\\d{4}, acc=[01]\\.\\d{3}\\]");
    private static final Pattern EPOCH_BAR = Pattern.compile("Train 2 epochs: +\\d+%\\|[^|]+\\| [0-2]/2 "
            + "\\[\\d\\d:\\d\\d<(\\d\\d:\\d\\d|\\?), (\\d+\\.\\d (epoch/s|s/epoch)|\\? epoch/s)(, loss=\\d+\\.\\d{4}, "
            + "acc=[01]\\.\\d{3})?\\]");
    private static final Pattern FINAL_LINE = Pattern.compile("Test accuracy [01]\\.\\d{4}  \\(\\d+\\.\\d s\\)  "
            + "spikes per layer \\[([^\\]]+)\\]  peak memory \\(RSS\\) \\d+ MiB");

    @TempDir
    Path tmp;

    private String socket;

    @AfterEach
    void stopTmux() throws Exception {
        if (socket != null) {
            tmux("kill-server");
        }
    }

    @Test
    void inATerminalTheBarsLookLikeTqdmAndFillThePane() throws Exception {
        Optional<Path> tmux = onPath("tmux");
        assumeTrue(tmux.isPresent(), "tmux is not installed: the terminal check needs it (apt-get install tmux)");
        socket = "spsn-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        String command = "env LANG=C.UTF-8 TERM=xterm-256color " + javaCommand(tmp.resolve("out"))
                + "; echo \"[exit $?]\"; sleep 300";
        tmux("new-session", "-d", "-x", Integer.toString(COLUMNS), "-y", "50", command);

        // While training: the epoch bar above the batch bar, each one line as wide as the pane allows.
        List<String> live = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (live == null && System.nanoTime() < deadline) {
            List<String> screen = screen();
            if (screen.stream().anyMatch(l -> l.startsWith("[exit"))) {
                break;
            }
            for (int i = 1; i < screen.size(); i++) {
                if (BATCH_BAR.matcher(screen.get(i)).matches() && EPOCH_BAR.matcher(screen.get(i - 1)).matches()) {
                    live = screen.subList(i - 1, i + 1);
                }
            }
            Thread.sleep(20);
        }
        assertTrue(live != null, "no epoch bar above a batch bar with a rate:\n" + String.join("\n", screen()));
        for (String bar : live) {
            // the renderer fills the width it is given: the pane's, less the column kept free for the cursor
            assertEquals(COLUMNS - 1, bar.length(), "as wide as the pane: '" + bar + "'");
        }

        List<String> end = awaitExit();
        String text = String.join("\n", end);
        assertTrue(end.contains("[exit 0]"), text);
        assertTrue(end.get(0).endsWith("device cpu"), "the device as cpu: " + end.get(0));
        assertEquals(1, end.stream().filter(l -> l.startsWith("Epoch 1/2  loss ")).count(), text);
        assertEquals(1, end.stream().filter(l -> l.startsWith("Epoch 2/2  loss ")).count(), text);
        // tqdm leaves the finished epoch and test bars on the screen; the batch bars are gone
        assertTrue(end.stream().anyMatch(l -> l.startsWith("Train 2 epochs: 100%|") && l.contains("| 2/2 [")
                && EPOCH_BAR.matcher(l).matches()), text);
        assertTrue(end.stream().anyMatch(l -> l.matches("Test: 100%\\|[^|]+\\| 2/2 \\[\\d\\d:\\d\\d<00:00, "
                + "\\d+\\.\\d (batch/s|s/batch), acc=[01]\\.\\d{3}\\]")), text);
        assertFalse(end.stream().anyMatch(l -> l.startsWith("Epoch 1/2:") || l.startsWith("Epoch 2/2:")), text);
        assertSpikeCounts(end);
        assertTrue(end.stream().allMatch(l -> l.length() <= COLUMNS && !l.contains("\u001b")), text);
    }

    @Test
    void withOutputToAFileItWritesOneLinePerEpochAndNoCarriageReturns() throws Exception {
        Path log = tmp.resolve("log.txt");
        // the flags from a file (picocli's @argfile), as a job script would keep them
        Path flags = tmp.resolve("run.flags");
        Files.writeString(flags, "# the run's flags\n" + String.join(" ", RUN) + "\n");
        List<String> command = new ArrayList<>(javaArgs(tmp.resolve("out")).subList(0, 5));
        command.addAll(List.of("@" + flags, "--output_dir", tmp.resolve("out").toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(child.waitFor(240, TimeUnit.SECONDS), "the run ends");
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), text);
        assertFalse(text.contains("\r"), "no carriage returns in a log:\n" + text);
        assertFalse(text.contains("batch/s") || text.contains("s/batch") || text.contains("%|"), "no bars:\n" + text);
        List<String> lines = text.lines().toList();
        assertEquals(List.of("Epoch 1/2", "Epoch 2/2"), lines.stream().filter(l -> l.matches("Epoch \\d/2  loss .*"))
                .map(l -> l.substring(0, 9)).toList(), text);
        assertSpikeCounts(lines);
    }

    /** The final line: spike counts with at most three significant digits, not float noise. */
    private static void assertSpikeCounts(List<String> lines) {
        Matcher last = lines.stream().map(FINAL_LINE::matcher).filter(Matcher::matches).findFirst().orElseThrow(
                () -> new AssertionError("no final line in:\n" + String.join("\n", lines)));
        String[] counts = last.group(1).split(", ");
        assertEquals(3, counts.length, last.group());
        for (String count : counts) {
            assertTrue(count.replaceFirst("^0\\.0*", "").replace(".", "").length() <= 3, "rounded: " + count);
            assertTrue(Double.parseDouble(count) >= 0, count);
        }
    }

    private List<String> awaitExit() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            List<String> screen = screen();
            if (screen.stream().anyMatch(l -> l.startsWith("[exit"))) {
                return screen;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the run did not end:\n" + String.join("\n", screen()));
    }

    /** The pane's lines as the user sees them, without trailing blanks. */
    private List<String> screen() throws Exception {
        String text = tmux("capture-pane", "-p", "-t", "0");
        return text.lines().map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private static List<String> javaArgs(Path outputDir) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), "spsn.cli.Main"));
        command.addAll(RUN);
        command.addAll(List.of("--output_dir", outputDir.toString()));
        return command;
    }

    private static String javaCommand(Path outputDir) {
        return String.join(" ", javaArgs(outputDir).stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
    }

    private static Optional<Path> onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
