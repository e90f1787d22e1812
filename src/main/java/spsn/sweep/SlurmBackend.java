package spsn.sweep;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import spsn.SpsnException;
import spsn.io.AtomicFiles;

/** {@code --backend slurm}: writes the job-array script for some of a sweep's runs and submits it. */
final class SlurmBackend {

    private SlurmBackend() {
    }

    /** A folder the script's {@code #SBATCH --output=} line can name: sbatch reads it up to the first blank. */
    static void checkFolder(Path sweepDir) {
        if (sweepDir.toString().chars().anyMatch(Character::isWhitespace)) {
            throw SpsnException.usage("--output_dir: " + sweepDir + " holds a blank, which Slurm's #SBATCH lines"
                    + " cannot take; choose a folder without one");
        }
    }

    /**
     * Writes {@code sweep-<n>.sbatch} for {@code todo} (all runs the first time, the unfinished
     * ones on resume) and, unless {@code dryRun}, submits it; returns the script.
     */
    static Path submit(Path sweepDir, Manifest manifest, List<SweepRun> todo, boolean dryRun, PrintWriter out) {
        checkFolder(sweepDir);
        String indices = SlurmScript.indices(todo.stream().map(r -> r.index).sorted().toList());
        int maxRunning = Integer.parseInt(manifest.slurm.getOrDefault("max_running", "0"));
        Path script = sweepDir.resolve("sweep-" + (manifest.submissions.size() + 1) + ".sbatch");
        AtomicFiles.writeString(script, SlurmScript.text(Path.of(manifest.jar), sweepDir, indices, maxRunning,
                manifest.slurm));
        if (dryRun) {
            out.println("sweep: wrote " + script + " (array " + indices + "), not submitted; submit with: spsn sweep"
                    + " resume " + sweepDir);
            return script;
        }
        String job = Slurm.submit(script);
        Manifest.update(sweepDir, m -> {
            Manifest.Submission s = new Manifest.Submission();
            s.job = job;
            s.script = sweepDir.relativize(script).toString();
            s.indices = indices;
            s.submitted = Manifest.now();
            m.submissions.add(s);
            for (SweepRun run : todo) {
                SweepRun entry = m.run(run.index);
                entry.state = RunStatus.QUEUED;
                entry.job = job + "_" + run.index;
                entry.note = null;
                entry.updated = Manifest.now();
            }
        });
        out.printf("sweep: submitted job %s: array %s%s (%d run%s) from %s; logs in %s%n", job, indices,
                maxRunning > 0 ? "%" + maxRunning : "", todo.size(), todo.size() == 1 ? "" : "s", script,
                sweepDir.resolve(Manifest.LOGS));
        out.println("sweep: follow with: spsn sweep status " + sweepDir);
        out.flush();
        return script;
    }
}
