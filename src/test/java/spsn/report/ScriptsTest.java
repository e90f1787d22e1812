package spsn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs scripts/paper.sh end to end on a tiny synthetic dataset (10 training runs of one epoch,
 * then the report) with the tool started from the test class path, in a temporary folder.
 */
class ScriptsTest {

    private static final Path SCRIPTS = Path.of("scripts").toAbsolutePath();

    private static int runScript(Path script, Path workDir, Map<String, String> env, Path log)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        for (String key : List.of("SPSN", "EPOCHS", "SEEDS", "DATASET", "EXTRA_ARGS", "OUTPUTS", "DATA_DIR",
                "FAKE_CALLS")) {
            pb.environment().remove(key);
        }
        pb.environment().putAll(env);
        Process process = pb.start();
        if (!process.waitFor(6, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("script timed out; log:\n" + Files.readString(log));
        }
        return process.exitValue();
    }

    @Test
    void paperScriptTrainsTheTenRunsOfTheTablesAndWritesTheReport(@TempDir Path tmp) throws Exception {
        String classPath = System.getProperty("java.class.path");
        assumeFalse(classPath.contains(" "), "SPSN is split on spaces");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = tmp.resolve("log.txt");
        Path work = Files.createDirectories(tmp.resolve("work"));
        int rc = runScript(SCRIPTS.resolve("paper.sh"), work, Map.of(
                "EPOCHS", "1", "DATASET", "synthetic", "SEEDS", "0",
                // 16 samples keep each run to a few seconds on two shared cores.
                "EXTRA_ARGS", "--synthetic_train 16 --synthetic_test 8",
                "OUTPUTS", "results",
                "SPSN", java + " -Xmx2g -cp " + classPath + " spsn.cli.Main"), log);
        String output = Files.readString(log);
        assertEquals(0, rc, output);

        Path results = work.resolve("results");
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        ResultsScanner.ScanResult scan = ResultsScanner.scan(results, new PrintStream(warnings, true));
        assertEquals("", warnings.toString(), "every results file parses");
        assertEquals(10, scan.runs().size(), output);
        assertEquals(List.of(4L, 4L, 2L), List.of(
                count(scan, Configuration.BASIC), count(scan, Configuration.DATA_AUGMENTATION),
                count(scan, Configuration.DATA_AUGMENTATION_REGULARIZATION)));
        for (RunResult run : scan.runs()) {
            assertEquals("synthetic", run.dataset(), run.name());
            assertEquals(1, run.epochs(), run.name());
            assertEquals(0, run.seed(), run.name());
            String folder = run.name().substring(0, run.name().indexOf('/'));
            assertEquals(switch (run.config()) {
                case BASIC -> "basic";
                case DATA_AUGMENTATION -> "data_aug";
                default -> "regul";
            }, folder, run.name());
            if (run.config() == Configuration.DATA_AUGMENTATION_REGULARIZATION) {
                assertEquals(run.neuron().equals("SPSN-SB") ? 0.4 : 0.1, run.regThr(), 0.0, run.name());
            }
        }
        String report = Files.readString(results.resolve("report.md"));
        assertTrue(report.contains("Runs in the tables: 10. Other runs: 0. Partial runs skipped: 0."), report);
        assertTrue(report.contains("## synthetic, 1 epoch\n"), report);
        assertTrue(Files.isDirectory(results.resolve("report")));
        // Each command is echoed before it runs.
        assertTrue(output.contains(" --seed 0 --neuron SPSN-GS --data_augmentation True --reg_thr 0.1 --nb_epochs 1"
                + " --dir regul/ --dataset synthetic --output_dir results --synthetic_train 16"), output);
        assertTrue(output.contains("spsn.cli.Main report --outputs results"), output);
    }

    @Test
    void aMissingJarIsReportedWithTheBuildCommand(@TempDir Path tmp) throws Exception {
        // A copy of the scripts whose repository root has no target/spsn.jar.
        Path scripts = Files.createDirectories(tmp.resolve("repo/scripts"));
        for (String name : List.of("common.sh", "basic.sh")) {
            Files.copy(SCRIPTS.resolve(name), scripts.resolve(name));
        }
        Path log = tmp.resolve("log.txt");
        int rc = runScript(scripts.resolve("basic.sh"), tmp, Map.of(), log);
        String output = Files.readString(log);
        assertEquals(1, rc, output);
        assertEquals("error: " + tmp.resolve("repo/target/spsn.jar") + " not found; build it with: cd \""
                + tmp.resolve("repo") + "\" && mvn -q package -DskipTests (or set SPSN to the command that runs the tool)",
                output.strip());
    }

    @Test
    void scriptsRunTheSeedReadmeCommandsOncePerSeedAndGoOnAfterAFailure(@TempDir Path tmp) throws Exception {
        // A stand-in for the tool that records its arguments and fails every LIF run.
        Path calls = tmp.resolve("calls.txt");
        Path fake = tmp.resolve("fake-spsn.sh");
        Files.writeString(fake, "echo \"$*\" >> \"$FAKE_CALLS\"\n"
                + "if [[ \" $* \" == *\" --neuron LIF \"* ]]; then exit 3; fi\n");
        Path log = tmp.resolve("log.txt");
        int rc = runScript(SCRIPTS.resolve("paper.sh"), tmp, Map.of(
                "SPSN", "bash " + fake, "FAKE_CALLS", calls.toString(), "SEEDS", "0 1",
                "EXTRA_ARGS", "--save_model True"), log);
        String output = Files.readString(log);
        assertEquals(1, rc, output);
        assertTrue(output.contains("error: LIF seed 1 (data_aug/) failed with exit code 3; continuing"), output);

        // The seed README's commands, with the defaults spelled out (200 epochs, SHD by default).
        List<String> expected = new java.util.ArrayList<>();
        for (String dir : List.of("basic/", "data_aug/")) {
            String aug = dir.equals("basic/") ? "" : " --data_augmentation True";
            for (String neuron : List.of("LIF", "SPSN-SB", "SPSN-GS", "Non-Spiking")) {
                for (int seed = 0; seed < 2; seed++) {
                    expected.add("--seed " + seed + " --neuron " + neuron + aug + " --nb_epochs 200 --dir " + dir
                            + " --save_model True");
                }
            }
        }
        for (String[] reg : new String[][] {{"SPSN-SB", "0.4"}, {"SPSN-GS", "0.1"}}) {
            for (int seed = 0; seed < 2; seed++) {
                expected.add("--seed " + seed + " --neuron " + reg[0] + " --data_augmentation True --reg_thr " + reg[1]
                        + " --nb_epochs 200 --dir regul/ --save_model True");
            }
        }
        expected.add("report --outputs outputs");
        assertEquals(expected, Files.readAllLines(calls));
    }

    private static long count(ResultsScanner.ScanResult scan, Configuration config) {
        return scan.runs().stream().filter(r -> r.config() == config).count();
    }
}
