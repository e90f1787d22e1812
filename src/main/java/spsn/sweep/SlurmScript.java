package spsn.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The job-array script of a sweep: one array task per run, each running its grid point with
 * {@code spsn sweep task}. It names no path but the jar and the sweep's folder (both absolute,
 * on storage the cluster shares); java is the node's. A task stopped by Slurm (scancel, time
 * limit, preemption: SIGTERM, then SIGKILL after KillWait) saves a checkpoint; a requeued task
 * (preemption) resumes from it, and {@code spsn sweep resume} re-submits the others.
 */
final class SlurmScript {

    /** Flag of {@code spsn sweep} → sbatch directive. */
    static final Map<String, String> RESOURCES = Map.of(
            "partition", "--partition",
            "time", "--time",
            "cpus_per_task", "--cpus-per-task",
            "mem", "--mem",
            "gres", "--gres");
    private static final List<String> ORDER = List.of("partition", "time", "cpus_per_task", "mem", "gres");

    private SlurmScript() {
    }

    /**
     * @param indices the array's task ids, e.g. {@code 0-39} or {@code 3,7,12-14}
     * @param maxRunning the array's {@code %K} (at most K tasks at once), or 0 for no limit
     */
    static String text(Path jar, Path sweepDir, String indices, int maxRunning, Map<String, String> resources) {
        List<String> lines = new ArrayList<>();
        lines.add("#!/bin/bash");
        lines.add("# spsn sweep: one array task per run of " + quote(sweepDir.resolve(Manifest.FILE).toString()));
        lines.add("#SBATCH --job-name=spsn-sweep");
        lines.add("#SBATCH --array=" + indices + (maxRunning > 0 ? "%" + maxRunning : ""));
        lines.add("#SBATCH --output=" + sweepDir.resolve(Manifest.LOGS).resolve("task-%a.log"));
        lines.add("#SBATCH --open-mode=append");
        // a preempted task goes back to the queue, and its next start resumes from its checkpoint
        lines.add("#SBATCH --requeue");
        for (String flag : ORDER) {
            String value = resources.get(flag);
            if (value != null && !value.isEmpty()) {
                lines.add("#SBATCH " + RESOURCES.get(flag) + "=" + value);
            }
        }
        lines.add("set -eu");
        lines.add("threads=\"${SLURM_CPUS_PER_TASK:-1}\"");
        lines.add("export OMP_NUM_THREADS=\"$threads\" MKL_NUM_THREADS=\"$threads\"");
        lines.add("java=\"${JAVA_HOME:+$JAVA_HOME/bin/}java\"");
        // exec: the JVM receives Slurm's signals itself, with no shell in between
        lines.add("exec \"$java\" " + String.join(" ", ToolCommand.threadFlags("$threads").stream()
                .map(f -> "\"" + f + "\"").toList()) + " -jar " + quote(jar.toString()) + " sweep task "
                + quote(sweepDir.toString()) + " \"$SLURM_ARRAY_TASK_ID\"");
        return String.join("\n", lines) + "\n";
    }

    /** Indices as Slurm's array syntax with ranges: 0-3,7,9-10. */
    static String indices(List<Integer> sorted) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < sorted.size()) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            parts.add(i == j ? Integer.toString(sorted.get(i)) : sorted.get(i) + "-" + sorted.get(j));
            i = j + 1;
        }
        return String.join(",", parts);
    }

    /** Single-quoted for bash. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
