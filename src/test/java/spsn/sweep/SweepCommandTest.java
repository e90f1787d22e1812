package spsn.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spsn sweep} on the command line without starting runs (--dry_run), its errors, and paper.sh's BACKEND. */
class SweepCommandTest {

    @TempDir
    Path tmp;

    @Test
    void thePapersGridWithFiveSeedsIsFiftyCheckedRunsInOneArray() throws Exception {
        Path jar = SweepSupport.toolJar(tmp);
        Path sweep = tmp.resolve("sw");
        SweepSupport.Result r = SweepSupport.spsn("sweep", "--paper", "--seeds", "0-4", "--backend", "slurm",
                "--partition", "gpu", "--time", "24:00:00", "--mem", "8G", "--max_running", "10", "--dry_run",
                "--output_dir", sweep.toString(), "--jar", jar.toString(), "--", "--dataset", "synthetic",
                "--nb_epochs", "50").assertOk();
        assertTrue(r.out().contains("sweep: 50 runs checked"), r.out());
        JsonNode manifest = SweepSupport.json(sweep.resolve("sweep.json"));
        assertEquals(50, manifest.get("runs").size());
        assertEquals("basic-LIF_seed-0", manifest.get("runs").get(0).get("key").asText());
        assertEquals("regul-SPSN-GS_seed-4", manifest.get("runs").get(49).get("key").asText());
        for (JsonNode run : manifest.get("runs")) {
            assertEquals("pending", run.get("state").asText());
            String flags = run.get("flags").toString();
            assertTrue(flags.contains("\"--nb_epochs\",\"50\""), flags);
        }
        String script = Files.readString(sweep.resolve("sweep-1.sbatch"));
        assertTrue(script.contains("#SBATCH --array=0-49%10\n") && script.contains("#SBATCH --partition=gpu\n")
                && script.contains("#SBATCH --time=24:00:00\n") && script.contains("#SBATCH --mem=8G\n"), script);
        assertTrue(SweepSupport.spsn("sweep", "status", sweep.toString()).assertOk().out()
                .contains("50 runs: 50 pending"));

        SweepSupport.Result again = SweepSupport.spsn("sweep", "--paper", "--output_dir", sweep.toString(), "--jar",
                jar.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().startsWith("spsn: --output_dir: " + sweep + " already holds a sweep; continue it with"
                + " spsn sweep resume"), again.err());
    }

    @Test
    void aBadRunFlagStopsTheSweepBeforeAnythingStartsInOneLine() throws Exception {
        Path jar = SweepSupport.toolJar(tmp);
        Path sweep = tmp.resolve("sw");
        SweepSupport.Result r = SweepSupport.spsn("sweep", "--paper", "--output_dir", sweep.toString(), "--jar",
                jar.toString(), "--", "--dataset", "synthetic", "--batch_size", "0");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("spsn: run basic-LIF ("), r.err());
        assertTrue(r.err().contains("--batch_size: must be a positive integer, got 0"), r.err());
        assertFalse(Files.exists(sweep.resolve("sweep.json")), "nothing written, nothing started");

        for (String[] args : List.of(new String[] {"sweep", "--output_dir", sweep.toString()},
                new String[] {"sweep", "--paper"},
                new String[] {"sweep", "--paper", "--output_dir", sweep.toString(), "--backend", "pbs"},
                new String[] {"sweep", "--paper", "--output_dir", sweep.toString(), "--partition", "gpu"},
                new String[] {"sweep", "status", tmp.resolve("nothing").toString()})) {
            SweepSupport.Result bad = SweepSupport.spsn(args);
            assertTrue(bad.code() == 1 || bad.code() == 2, String.join(" ", args) + ": " + bad.err());
            assertEquals(1, bad.err().lines().count(), bad.err());
            assertTrue(bad.err().startsWith("spsn: ") && !bad.err().contains("Exception"), bad.err());
        }
    }

    @Test
    void paperShWithBackendRunsTheSweepAndContinuesItWhenRunAgain() throws Exception {
        Path calls = tmp.resolve("calls.txt");
        Path fake = tmp.resolve("fake-spsn.sh");
        Files.writeString(fake, "echo \"$*\" >> \"$FAKE_CALLS\"\n");
        Path outputs = tmp.resolve("work/sw");
        Map<String, String> env = Map.of("SPSN", "bash " + fake, "FAKE_CALLS", calls.toString(), "SEEDS", "0 1  4",
                "EPOCHS", "50", "BACKEND", "slurm", "OUTPUTS", "sw", "SWEEP_ARGS", "--partition gpu --time 2:00:00",
                "EXTRA_ARGS", "--save_model True");
        assertEquals(0, paperSh(env));
        Files.createDirectories(outputs);
        Files.writeString(outputs.resolve("sweep.json"), "{}");
        assertEquals(0, paperSh(Map.of("SPSN", "bash " + fake, "FAKE_CALLS", calls.toString(), "BACKEND", "local",
                "OUTPUTS", "sw")));
        assertEquals(List.of(
                "sweep --paper --seeds 0,1,4 --backend slurm --output_dir " + outputs
                        + " --partition gpu --time 2:00:00 -- --nb_epochs 50 --save_model True",
                "sweep resume " + outputs + " --backend local",
                "report --outputs " + outputs), Files.readAllLines(calls));
    }

    private int paperSh(Map<String, String> env) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        ProcessBuilder pb = new ProcessBuilder("bash", Path.of("scripts/paper.sh").toAbsolutePath().toString())
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(tmp.resolve("log.txt").toFile());
        for (String key : List.of("SPSN", "EPOCHS", "SEEDS", "DATASET", "EXTRA_ARGS", "OUTPUTS", "DATA_DIR",
                "BACKEND", "SWEEP_ARGS")) {
            pb.environment().remove(key);
        }
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p.exitValue();
    }
}
