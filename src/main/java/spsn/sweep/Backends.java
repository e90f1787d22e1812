package spsn.sweep;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import spsn.SpsnException;

/** Starts some of a sweep's runs with the backend its manifest names. */
final class Backends {

    private Backends() {
    }

    /** Returns the exit code: a Slurm submission 0; a local pool as {@link LocalPool#run}. */
    static int start(Path sweepDir, Manifest manifest, List<SweepRun> todo, ExecutionOptions execution, boolean dryRun,
                     PrintWriter out) {
        ToolCommand.jar(Path.of(manifest.jar));
        if ("slurm".equals(manifest.backend)) {
            SlurmBackend.submit(sweepDir, manifest, todo, dryRun, out);
            return 0;
        }
        if (dryRun) {
            out.println("sweep: not started (--dry_run); start with: spsn sweep resume " + sweepDir);
            out.flush();
            return 0;
        }
        int jobs = execution.jobs != null ? execution.jobs : LocalPool.defaultJobs();
        return new LocalPool(sweepDir, Path.of(manifest.jar), Math.min(jobs, todo.size()), out).run(todo);
    }

    /** Creates the sweep's folder and its logs folder, proving it writable before anything runs. */
    static void prepareFolder(Path sweepDir) {
        try {
            Files.createDirectories(sweepDir.resolve(Manifest.LOGS));
            Path probe = Files.createTempFile(sweepDir, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw SpsnException.data("sweep folder " + sweepDir + " is not writable (" + e.getMessage()
                    + "); choose another with --output_dir");
        }
    }
}
