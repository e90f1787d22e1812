package spsn.sweep;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import spsn.SpsnException;
import spsn.io.AtomicFiles;

/**
 * A sweep's manifest, {@code sweep.json} in its folder: every run (key, flags, folder, state,
 * results file) and how the sweep is executed. It is replaced atomically, and changed only under
 * a lock on {@code .sweep.lock}, as the runs of a Slurm array report their states at the same
 * time. The runs' folders remain the truth about results: status and resume check them.
 */
final class Manifest {

    static final String FILE = "sweep.json";
    static final String LOGS = "logs";
    private static final String LOCK = ".sweep.lock";
    private static final String FORMAT = "spsn-sweep 1";
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public String format = FORMAT;
    public String toolVersion;
    public String created;
    /** "local" or "slurm": how runs are started (resume may choose again). */
    public String backend;
    /** Absolute path of the jar every run starts. */
    public String jar;
    /** What the grid came from, e.g. "--paper --seeds 0-4" or the grid file. */
    public String source;
    /** Slurm resources: partition, time, cpus_per_task, mem, gres, max_running. */
    public Map<String, String> slurm = new LinkedHashMap<>();
    public List<Submission> submissions = new ArrayList<>();
    public List<SweepRun> runs = new ArrayList<>();

    /** One sbatch of the sweep's array script. */
    static final class Submission {
        public String job;
        public String script;
        public String indices;
        public String submitted;
    }

    static Path file(Path sweepDir) {
        return sweepDir.resolve(FILE);
    }

    static boolean exists(Path sweepDir) {
        return Files.exists(file(sweepDir));
    }

    static Manifest read(Path sweepDir) {
        Path file = file(sweepDir);
        Manifest manifest;
        try {
            manifest = JSON.readValue(file.toFile(), Manifest.class);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw SpsnException.data(file + " does not exist: " + sweepDir + " is not a sweep's folder"
                    + " (give the --output_dir of spsn sweep)");
        } catch (IOException e) {
            throw SpsnException.data(file + " is not a sweep manifest of this tool (" + e.getMessage().lines()
                    .findFirst().orElse("") + ")");
        }
        if (!FORMAT.equals(manifest.format) || manifest.runs == null) {
            throw SpsnException.data(file + " is not a sweep manifest of this tool (format " + manifest.format + ")");
        }
        return manifest;
    }

    void write(Path sweepDir) {
        try {
            AtomicFiles.writeString(file(sweepDir), JSON.writeValueAsString(this) + "\n");
        } catch (IOException e) {
            throw SpsnException.data("cannot write " + file(sweepDir) + ": " + e.getMessage());
        }
    }

    /** Reads, changes and writes the manifest while holding its lock; returns what was written. */
    static Manifest update(Path sweepDir, Consumer<Manifest> change) {
        Path lock = sweepDir.resolve(LOCK);
        // A file lock excludes other processes only; threads of this one (the local pool's) queue here.
        synchronized (Manifest.class) {
            return updateLocked(sweepDir, lock, change);
        }
    }

    private static Manifest updateLocked(Path sweepDir, Path lock, Consumer<Manifest> change) {
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = channel.lock()) {
            Manifest manifest = read(sweepDir);
            change.accept(manifest);
            manifest.write(sweepDir);
            return manifest;
        } catch (IOException e) {
            throw SpsnException.data("cannot lock " + lock + " to update the sweep manifest: " + e.getMessage());
        }
    }

    /** Changes one run's entry under the lock. */
    static Manifest updateRun(Path sweepDir, int index, Consumer<SweepRun> change) {
        return update(sweepDir, m -> {
            SweepRun run = m.run(index);
            change.accept(run);
            run.updated = now();
        });
    }

    SweepRun run(int index) {
        for (SweepRun run : runs) {
            if (run.index == index) {
                return run;
            }
        }
        throw SpsnException.usage("the sweep has no run " + index + " (runs 0-" + (runs.size() - 1) + ")");
    }

    static String now() {
        return Instant.now().toString();
    }
}
