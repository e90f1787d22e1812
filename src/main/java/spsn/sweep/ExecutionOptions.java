package spsn.sweep;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import spsn.SpsnException;

/** How a sweep's runs are executed: the backend and its resources (for {@code sweep} and {@code sweep resume}). */
final class ExecutionOptions {

    @Option(names = "--backend", paramLabel = "local|slurm",
            description = "local: a pool of processes on this machine; slurm: one job array, submitted with sbatch."
                    + " Default: local (resume: the sweep's).")
    String backend;

    @Option(names = "--jobs", paramLabel = "N",
            description = "local: runs at once (default: the cores, fewer if memory holds fewer full-size runs);"
                    + " each run gets cores / N threads.")
    Integer jobs;

    @Option(names = "--partition", description = "slurm: the partition (sbatch --partition).")
    String partition;

    @Option(names = "--time", description = "slurm: each task's time limit, e.g. 12:00:00 (sbatch --time).")
    String time;

    @Option(names = "--cpus_per_task", paramLabel = "N",
            description = "slurm: cores per task (sbatch --cpus-per-task); the run's threads.")
    Integer cpusPerTask;

    @Option(names = "--mem", description = "slurm: memory per task, e.g. 8G (sbatch --mem).")
    String mem;

    @Option(names = "--gres", description = "slurm: generic resources per task, e.g. gpu:1 (sbatch --gres).")
    String gres;

    @Option(names = "--max_running", paramLabel = "K",
            description = "slurm: at most K tasks of the array at once (--array=0-N%%K). Default: no limit.")
    Integer maxRunning;

    /** The backend chosen, or {@code fallback} when none was given. */
    String backend(String fallback) {
        String b = backend != null ? backend : fallback;
        if (!b.equals("local") && !b.equals("slurm")) {
            throw SpsnException.usage("--backend: unknown backend '" + b + "'; choose local or slurm");
        }
        if (b.equals("local") && !slurmResources().isEmpty()) {
            throw SpsnException.usage("--" + slurmResources().keySet().iterator().next()
                    + " applies to --backend slurm only");
        }
        if (b.equals("slurm") && jobs != null) {
            throw SpsnException.usage("--jobs applies to --backend local; with slurm use --max_running");
        }
        if (jobs != null && jobs <= 0) {
            throw SpsnException.usage("--jobs: must be a positive number of runs at once, got " + jobs);
        }
        if (cpusPerTask != null && cpusPerTask <= 0) {
            throw SpsnException.usage("--cpus_per_task: must be a positive number of cores, got " + cpusPerTask);
        }
        if (maxRunning != null && maxRunning <= 0) {
            throw SpsnException.usage("--max_running: must be a positive number of tasks, got " + maxRunning);
        }
        for (Map.Entry<String, String> e : slurmResources().entrySet()) {
            if (e.getValue().isBlank() || e.getValue().chars().anyMatch(c -> Character.isWhitespace(c) || c == '\'')) {
                throw SpsnException.usage("--" + e.getKey() + ": '" + e.getValue() + "' is not a Slurm value");
            }
        }
        return b;
    }

    /** The Slurm resources given, by sweep flag name. */
    Map<String, String> slurmResources() {
        Map<String, String> r = new LinkedHashMap<>();
        put(r, "partition", partition);
        put(r, "time", time);
        put(r, "cpus_per_task", cpusPerTask == null ? null : cpusPerTask.toString());
        put(r, "mem", mem);
        put(r, "gres", gres);
        put(r, "max_running", maxRunning == null ? null : maxRunning.toString());
        return r;
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
