package spsn.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --backend local}: each run its own process started from the jar. A failed run is
 * named and the others finish; resume retries only what is unfinished; SIGTERM to the sweep
 * stops its runs with checkpoints, and resume ends them with the numbers of an uninterrupted run.
 */
class LocalSweepTest {

    private static final String SMALL = """
              dataset: synthetic
              synthetic_train: 32
              synthetic_test: 16
              batch_size: 16
              hidden_size: 16
            """;

    @TempDir
    Path tmp;

    @Test
    void aFailedRunIsNamedTheOthersFinishAndResumeRetriesOnlyIt() throws Exception {
        Path jar = SweepSupport.toolJar(tmp);
        Path model = tmp.resolve("model.pt");
        Path grid = tmp.resolve("grid.yaml");
        Files.writeString(grid, "flags:\n" + SMALL + """
                  neuron: Non-Spiking
                  nb_epochs: 1
                  seed: 3
                axes:
                  start:
                    - {name: fresh, save_model: True}
                    - {name: from-model, load_model: %s}
                """.formatted(model));
        Path sweep = tmp.resolve("sw");
        SweepSupport.Result first = SweepSupport.spsn("sweep", grid.toString(), "--output_dir", sweep.toString(),
                "--jar", jar.toString(), "--jobs", "2");
        assertEquals(1, first.code(), first.out() + first.err());
        assertTrue(first.out().contains("FAILED from-model (exit 1): model file " + model + " does not exist"), first.out());
        assertTrue(first.out().contains("done fresh: runs/fresh/results_Non-Spiking_"), first.out());
        assertTrue(first.out().contains("sweep: 1 done, 1 failed, 0 stopped, 0 not started, of 2"), first.out());
        SweepSupport.Result status = SweepSupport.spsn("sweep", "status", sweep.toString()).assertOk();
        assertTrue(status.out().contains("2 runs: 1 done, 1 failed"), status.out());

        // fix the cause, then resume: only the failed run starts again
        Path fresh = sweep.resolve("runs/fresh");
        Files.copy(SweepSupport.files(fresh, "model_").get(0), model, StandardCopyOption.REPLACE_EXISTING);
        SweepSupport.Result resumed = SweepSupport.spsn("sweep", "resume", sweep.toString()).assertOk();
        assertTrue(resumed.out().contains("resuming 1 of 2 runs (from-model)"), resumed.out());
        Map<String, JsonNode> results = SweepSupport.results(sweep);
        assertEquals(List.of("fresh", "from-model"), List.copyOf(results.keySet()));
        JsonNode runs = SweepSupport.json(sweep.resolve("sweep.json")).get("runs");
        assertEquals(1, runs.get(0).get("attempts").asInt(), "the finished run was left alone");
        assertEquals(2, runs.get(1).get("attempts").asInt());
        assertTrue(SweepSupport.spsn("sweep", "resume", sweep.toString()).assertOk().out()
                .contains("nothing to resume: 2 of 2 runs done"));
    }

    @Test
    void sigtermStopsTheSweepsRunsWithCheckpointsAndResumeEndsThemAsIfUninterrupted() throws Exception {
        Path jar = SweepSupport.toolJar(tmp);
        Path grid = tmp.resolve("grid.yaml");
        Files.writeString(grid, "flags:\n" + SMALL.replace("32", "96") + """
                  neuron: SPSN-SB
                  data_augmentation: True
                  nb_epochs: 3
                axes:
                  seed: [5]
                """);
        Path sweep = tmp.resolve("sw");
        Path log = tmp.resolve("sweep.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "spsn.cli.Main", "sweep", grid.toString(), "--output_dir",
                sweep.toString(), "--jar", jar.toString()));
        Process coordinator = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path runDir = sweep.resolve("runs/seed-5");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        boolean midRun = false;
        while (!midRun && System.nanoTime() < deadline && coordinator.isAlive()) {
            for (Path c : SweepSupport.files(runDir, "checkpoint_")) {
                try {
                    midRun |= c.toString().endsWith(".json") && SweepSupport.json(c).get("epochs_done").asInt() >= 1;
                } catch (java.io.IOException e) {
                    // replaced while being read
                }
            }
            Thread.sleep(50);
        }
        assertTrue(midRun, "no checkpoint after epoch 1: " + Files.readString(log));
        coordinator.destroy(); // SIGTERM, as kill PID sends it
        assertTrue(coordinator.waitFor(120, TimeUnit.SECONDS));
        String said = Files.readString(log);
        assertEquals(130, coordinator.exitValue(), said);
        assertTrue(said.contains("sweep: SIGTERM: stopping; 1 running run(s) save their checkpoints"), said);
        String taskLog = Files.readString(sweep.resolve("logs/task-0.log"));
        assertTrue(taskLog.contains("spsn: SIGTERM: stopping after the current batch"), taskLog);
        assertTrue(taskLog.contains("Stopped ("), taskLog);
        JsonNode run = SweepSupport.json(sweep.resolve("sweep.json")).get("runs").get(0);
        assertEquals("stopped", run.get("state").asText(), run.toString());
        assertEquals(130, run.get("exit_code").asInt());

        SweepSupport.spsn("sweep", "resume", sweep.toString()).assertOk();
        JsonNode resumed = SweepSupport.results(sweep).get("seed-5");
        assertTrue(Files.readString(sweep.resolve("logs/task-0.log")).contains("Resuming run "));

        Path reference = tmp.resolve("reference");
        List<String> flags = new ArrayList<>();
        SweepSupport.json(sweep.resolve("sweep.json")).get("runs").get(0).get("flags").forEach(f -> flags.add(f.asText()));
        flags.addAll(List.of("--output_dir", reference.toString()));
        SweepSupport.spsn(flags.toArray(String[]::new)).assertOk();
        JsonNode uninterrupted = SweepSupport.json(SweepSupport.files(reference, "results_").get(0));
        for (String field : SweepSupport.SAME) {
            assertEquals(uninterrupted.get(field), resumed.get(field), field);
        }
    }
}
