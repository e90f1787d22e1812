package spsn.sweep;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Brings the manifest up to date with what the runs' folders hold and what Slurm (or, for a
 * local sweep, this machine's processes) says, and prints it. A task that was killed (SIGKILL
 * after a time limit, a node lost) cannot record its end itself: this is where it is noticed.
 */
final class SweepStatus {

    private SweepStatus() {
    }

    /** The manifest with every run's state checked, written back. */
    static Manifest refresh(Path sweepDir) {
        Manifest current = Manifest.read(sweepDir);
        List<String> jobs = current.submissions.stream().map(s -> s.job).toList();
        Slurm.Answer slurm = jobs.isEmpty() ? new Slurm.Answer(true, Map.of()) : Slurm.states(jobs);
        return Manifest.update(sweepDir, m -> {
            for (SweepRun run : m.runs) {
                check(sweepDir, run, slurm);
            }
        });
    }

    /** One run's state from its folder, then Slurm's answer, then what was recorded. */
    static void check(Path sweepDir, SweepRun run, Slurm.Answer slurm) {
        RunFolder folder = RunFolder.of(sweepDir, run);
        Optional<Path> results = folder.finalResults();
        if (results.isPresent()) {
            run.state = RunStatus.DONE;
            run.results = folder.relative(results.get());
            return;
        }
        Slurm.TaskState task = run.job == null ? null : slurm.tasks().get(run.job);
        // Slurm's word first: a task that stopped and recorded it may be back in the queue (requeued)
        if (task != null && task.alive()) {
            run.state = task.state().equals("PENDING") || task.state().startsWith("REQUEUE")
                    ? RunStatus.QUEUED : RunStatus.RUNNING;
            run.note = describe(task);
            return;
        }
        if (!run.state.active()) {
            return; // stopped or failed, as the task recorded it
        }
        if (task == null && run.job != null && run.job.startsWith("pid ") && processAlive(run.job.substring(4))) {
            return;
        }
        if (run.job != null && !run.job.startsWith("pid ") && !slurm.reachable()) {
            return; // Slurm could not be asked: leave the state as recorded
        }
        boolean started = run.attempts > 0 || folder.checkpoint().isPresent();
        run.state = started ? RunStatus.STOPPED : RunStatus.PENDING;
        run.note = (task != null ? describe(task) : "no longer running")
                + (started ? "; resumes from its checkpoint" : "; never started");
        run.updated = Manifest.now();
    }

    private static String describe(Slurm.TaskState task) {
        String reason = task.reason();
        return task.state() + (reason.isEmpty() || reason.equals("None") ? "" : " (" + reason + ")");
    }

    private static boolean processAlive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A summary line and one line per run. */
    static void print(Path sweepDir, Manifest m, PrintWriter out) {
        Map<RunStatus, Long> counts = new EnumMap<>(RunStatus.class);
        m.runs.forEach(r -> counts.merge(r.state, 1L, Long::sum));
        String summary = counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().label())
                .collect(Collectors.joining(", "));
        String jobs = m.submissions.isEmpty() ? "" : ", jobs " + m.submissions.stream().map(s -> s.job)
                .collect(Collectors.joining(" "));
        out.printf("sweep %s (%s, %s%s): %d runs: %s%n", sweepDir, m.source, m.backend, jobs, m.runs.size(), summary);
        int width = Math.max(3, m.runs.stream().mapToInt(r -> r.key.length()).max().orElse(3));
        out.printf("%5s  %-" + width + "s  %-8s  %8s  %-12s  %s%n", "index", "key", "state", "attempts", "job",
                "results / note");
        for (SweepRun r : m.runs) {
            String last = r.state == RunStatus.DONE ? r.results
                    : (r.note != null ? r.note : "") + (r.exitCode != null && r.state == RunStatus.FAILED
                    ? " exit " + r.exitCode + "; log " + r.log : "");
            out.printf("%5d  %-" + width + "s  %-8s  %8d  %-12s  %s%n", r.index, r.key, r.state.label(), r.attempts,
                    r.job == null ? "-" : r.job, last.strip());
        }
        out.flush();
    }
}
