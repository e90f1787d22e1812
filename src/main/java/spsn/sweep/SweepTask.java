package spsn.sweep;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import spsn.SpsnException;
import spsn.cli.TrainingFlags;
import spsn.train.RunInterruptedException;

/**
 * {@code spsn sweep task DIR INDEX}: one attempt at one run of a sweep, what a Slurm array task
 * or a local pool worker executes. It is idempotent, so that any attempt may be repeated (a
 * requeued job, a resume): a run with final results is left alone, a run with a checkpoint is
 * resumed from it ({@code --resume}), any other starts afresh. The attempt is an ordinary
 * training run in this JVM; its state goes to the manifest before and after.
 */
final class SweepTask {

    private static final String TASK_LOCK = ".task.lock";

    private SweepTask() {
    }

    static int run(Path sweepDir, int index, PrintWriter out, PrintWriter err) {
        SweepRun run = Manifest.read(sweepDir).run(index);
        RunFolder folder = RunFolder.of(sweepDir, run);
        Optional<Path> done = folder.finalResults();
        if (done.isPresent()) {
            String results = folder.relative(done.get());
            Manifest.updateRun(sweepDir, index, r -> {
                r.state = RunStatus.DONE;
                r.results = results;
            });
            out.println("sweep: run " + run.key + " is done already: " + done.get());
            return 0;
        }
        Path runDir = SweepPlan.runFolder(sweepDir, run.key);
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw SpsnException.data("cannot create the run's folder " + runDir + ": " + e.getMessage());
        }
        // One attempt per run at a time: a second would train the same run twice.
        try (FileChannel channel = FileChannel.open(runDir.resolve(TASK_LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw SpsnException.data("run " + run.key + " is being run by another task (" + runDir.resolve(TASK_LOCK)
                        + " is locked); see spsn sweep status " + sweepDir);
            }
            return attempt(sweepDir, run, folder, out, err);
        } catch (IOException e) {
            throw SpsnException.data("cannot lock " + runDir.resolve(TASK_LOCK) + ": " + e.getMessage());
        }
    }

    private static int attempt(Path sweepDir, SweepRun run, RunFolder folder, PrintWriter out, PrintWriter err) {
        Optional<Path> checkpoint = folder.checkpoint();
        List<String> args = checkpoint.map(c -> List.of("--resume", c.toString()))
                .orElseGet(() -> SweepPlan.withOutputDir(run.flags, sweepDir, run.key));
        String job = jobId();
        String host = host();
        Manifest updated = Manifest.updateRun(sweepDir, run.index, r -> {
            r.state = RunStatus.RUNNING;
            r.attempts++;
            r.job = job;
            r.host = host;
            r.exitCode = null;
            r.note = checkpoint.map(c -> "resumed from " + folder.relative(c)).orElse(null);
        });
        out.println("sweep: run " + run.key + " (index " + run.index + ", attempt " + updated.run(run.index).attempts
                + ", " + job + " on " + host + "): " + (checkpoint.isPresent() ? "resuming" : "starting")
                + ": spsn " + String.join(" ", args));
        out.flush();
        int code = SpsnException.DATA;
        try {
            code = TrainingFlags.run(out, err, args);
            return code;
        } finally {
            int exit = code;
            Optional<Path> results = folder.finalResults();
            Manifest.updateRun(sweepDir, run.index, r -> {
                r.exitCode = exit;
                r.results = results.map(folder::relative).orElse(null);
                r.state = results.isPresent() ? RunStatus.DONE
                        : exit == RunInterruptedException.EXIT_CODE ? RunStatus.STOPPED : RunStatus.FAILED;
                r.note = r.state == RunStatus.STOPPED ? "stopped; resumes from its checkpoint" : null;
            });
        }
    }

    /** Slurm's name for this task ({@code 123_4}), or this process. */
    private static String jobId() {
        String array = System.getenv("SLURM_ARRAY_JOB_ID");
        String task = System.getenv("SLURM_ARRAY_TASK_ID");
        if (array != null && task != null) {
            return array + "_" + task;
        }
        String job = System.getenv("SLURM_JOB_ID");
        return job != null ? job : "pid " + ProcessHandle.current().pid();
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown host";
        }
    }
}
