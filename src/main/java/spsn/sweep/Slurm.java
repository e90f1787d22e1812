package spsn.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import spsn.SpsnException;
import spsn.engine.TunedEnvironment;

/**
 * Slurm's own commands, as a user would type them: {@code sbatch} to submit, {@code squeue} for
 * queued and running tasks, {@code scontrol} for tasks that ended recently and {@code sacct}
 * where the cluster keeps accounting. Nothing here talks to Slurm any other way.
 */
final class Slurm {

    /** What Slurm says of one array task ({@code 123_4}). */
    record TaskState(String state, String reason, String source) {

        boolean alive() {
            return switch (state) {
                case "PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED",
                     "RESIZING", "SUSPENDED", "STOPPED", "SIGNALING", "STAGE_OUT" -> true;
                default -> false;
            };
        }
    }

    private static final long TIMEOUT_S = 60;

    private Slurm() {
    }

    /** Submits {@code script} and returns the job id. */
    static String submit(Path script) {
        Result r = run(List.of("sbatch", "--parsable", script.toString()), true);
        if (r.code != 0) {
            throw SpsnException.data("sbatch " + script + " failed (exit " + r.code + "): " + oneLine(r.err)
                    + "; check --partition, --time, --mem and --gres with your cluster's sinfo");
        }
        String id = r.out.strip().split(";")[0];
        if (!id.matches("\\d+")) {
            throw SpsnException.data("sbatch " + script + " printed no job id: " + oneLine(r.out + r.err));
        }
        return id;
    }

    /** Slurm's answer: whether the controller answered, and every task of the jobs it still knows. */
    record Answer(boolean reachable, Map<String, TaskState> tasks) {
    }

    /** Every task of {@code jobIds} Slurm still knows, by {@code job_task} id; later sources win. */
    static Answer states(List<String> jobIds) {
        Map<String, TaskState> states = new LinkedHashMap<>();
        if (jobIds.isEmpty()) {
            return new Answer(true, states);
        }
        String ids = String.join(",", jobIds);
        Result acct = run(List.of("sacct", "-n", "-P", "-X", "-j", ids, "-o", "JobID,State,ExitCode"), false);
        if (acct.code == 0) {
            for (String line : acct.out.lines().toList()) {
                String[] f = line.split("\\|");
                if (f.length >= 2 && f[0].contains("_")) {
                    states.put(f[0], new TaskState(f[1].split(" ")[0], f.length > 2 ? "exit " + f[2] : "", "sacct"));
                }
            }
        }
        for (String job : jobIds) {
            Result show = run(List.of("scontrol", "-o", "show", "job", job), false);
            if (show.code != 0) {
                continue;
            }
            for (String line : show.out.lines().toList()) {
                Map<String, String> f = fields(line);
                if (f.containsKey("ArrayJobId") && f.containsKey("ArrayTaskId") && f.get("ArrayTaskId").matches("\\d+")) {
                    states.put(f.get("ArrayJobId") + "_" + f.get("ArrayTaskId"),
                            new TaskState(f.getOrDefault("JobState", "UNKNOWN"), f.getOrDefault("Reason", ""), "scontrol"));
                }
            }
        }
        // all of the user's jobs, not -j: squeue fails on ids it has forgotten, which tells nothing
        Result queue = run(List.of("squeue", "--me", "-h", "-r", "-o", "%i|%T|%r"), false);
        if (queue.code == 0) {
            for (String line : queue.out.lines().toList()) {
                String[] f = line.strip().split("\\|");
                if (f.length >= 2 && f[0].matches("\\d+_\\d+") && jobIds.contains(f[0].substring(0, f[0].indexOf('_')))) {
                    states.put(f[0], new TaskState(f[1], f.length > 2 ? f[2] : "", "squeue"));
                }
            }
        }
        return new Answer(queue.code == 0, states);
    }

    /** {@code scontrol -o show job}'s Key=Value words. */
    private static Map<String, String> fields(String line) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String word : line.strip().split("\\s+")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                f.putIfAbsent(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        return f;
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(List<String> command, boolean required) {
        Path outFile = null;
        Path errFile = null;
        Process process = null;
        try {
            outFile = Files.createTempFile("spsn-slurm", ".out");
            errFile = Files.createTempFile("spsn-slurm", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(outFile.toFile())
                    .redirectError(errFile.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            // not this JVM's tuned environment (spsn.cli.TunedRelaunch): sbatch passes it on to the
            // job, whose runs tune themselves on their own nodes
            TunedEnvironment.restoreUntuned(builder.environment());
            try {
                process = builder.start();
            } catch (IOException e) {
                if (required) {
                    throw SpsnException.data(command.get(0) + " not found (" + e.getMessage() + "); run the sweep"
                            + " where Slurm's commands are installed (a login node) or use --backend local");
                }
                return new Result(127, "", String.valueOf(e.getMessage()));
            }
            // squeue and sinfo wait for a controller that is down: do not wait forever
            if (!process.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw SpsnException.data(String.join(" ", command) + " did not answer in " + TIMEOUT_S
                        + " s; is the Slurm controller up (sinfo)?");
            }
            return new Result(process.exitValue(), Files.readString(outFile), Files.readString(errFile));
        } catch (IOException e) {
            return new Result(1, "", String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return new Result(130, "", "interrupted");
        } finally {
            deleteQuietly(outFile);
            deleteQuietly(errFile);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file left in /tmp is harmless
            }
        }
    }

    private static String oneLine(String s) {
        return s.strip().replace('\n', ' ');
    }
}
