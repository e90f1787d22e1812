package spsn.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How status combines a run's folder, Slurm's answer and the state the task recorded. */
class SweepStatusTest {

    @TempDir
    Path tmp;

    private SweepRun run(RunStatus state, String job) {
        SweepRun run = new SweepRun(new GridPoint(1, "k", List.of("--dataset", "synthetic", "--seed", "1")));
        run.state = state;
        run.job = job;
        run.attempts = 1;
        return run;
    }

    private static Slurm.Answer slurm(String job, String state) {
        return new Slurm.Answer(true, Map.of(job, new Slurm.TaskState(state, "None", "squeue")));
    }

    @Test
    void slurmsWordComesBeforeTheRecordedStateUnlessTheRunIsDone() throws Exception {
        SweepRun requeued = run(RunStatus.STOPPED, "7_1");
        SweepStatus.check(tmp, requeued, slurm("7_1", "PENDING"));
        assertEquals(RunStatus.QUEUED, requeued.state, "stopped, then requeued by Slurm: not to be re-submitted");

        SweepRun cancelled = run(RunStatus.RUNNING, "7_1");
        SweepStatus.check(tmp, cancelled, slurm("7_1", "CANCELLED"));
        assertEquals(RunStatus.STOPPED, cancelled.state);
        assertTrue(cancelled.note.startsWith("CANCELLED; resumes from its checkpoint"), cancelled.note);

        SweepRun failed = run(RunStatus.FAILED, "7_1");
        SweepStatus.check(tmp, failed, slurm("7_1", "FAILED"));
        assertEquals(RunStatus.FAILED, failed.state, "as the task recorded it");

        SweepRun unknown = run(RunStatus.RUNNING, "7_1");
        SweepStatus.check(tmp, unknown, new Slurm.Answer(false, Map.of()));
        assertEquals(RunStatus.RUNNING, unknown.state, "Slurm not reachable: nothing is concluded");

        SweepRun forgotten = run(RunStatus.QUEUED, "7_1");
        forgotten.attempts = 0;
        SweepStatus.check(tmp, forgotten, new Slurm.Answer(true, Map.of()));
        assertEquals(RunStatus.PENDING, forgotten.state, "gone from Slurm before it started");

        Path folder = Files.createDirectories(tmp.resolve("runs/k"));
        Files.writeString(folder.resolve("results_LIF_5.json"), "{\"partial\": false}");
        SweepRun done = run(RunStatus.RUNNING, "7_1");
        SweepStatus.check(tmp, done, slurm("7_1", "COMPLETING"));
        assertEquals(RunStatus.DONE, done.state);
        assertEquals("runs/k/results_LIF_5.json", done.results);
    }
}
