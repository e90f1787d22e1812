package spsn.sweep;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import spsn.SpsnException;
import spsn.io.AtomicFiles;

/**
 * {@code spsn sweep}: runs a grid of ordinary training runs, on this machine or as a Slurm job
 * array, keeping a manifest in its folder from which {@code sweep status} and {@code sweep
 * resume} work.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {SweepCommand.Status.class, SweepCommand.Resume.class, SweepCommand.Task.class},
        description = {"Runs a grid of training runs: GRID_FILE (YAML or JSON: fixed 'flags' and varied 'axes') or"
                + " --paper (the paper's ten configurations), on a local pool or as a Slurm job array. Flags after --"
                + " go to every run. Every run's flags are checked before anything starts; each run gets a folder"
                + " under --output_dir/runs/, and the manifest --output_dir/sweep.json records their state.",
                "Example: spsn sweep --paper --seeds 0-4 --backend slurm --time 24:00:00 --output_dir /shared/sw"
                        + " -- --nb_epochs 50"})
public final class SweepCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "GRID_FILE [-- RUN_FLAGS...]",
            description = "The grid file, then (after --) training flags for every run.")
    List<String> positional = new ArrayList<>();

    @Option(names = "--paper", description = "The seed README's ten configurations (basic, data_aug, regul).")
    boolean paper;

    @Option(names = "--seeds", paramLabel = "LIST",
            description = "One run of each grid point per seed: 0-4, or 0,2,7 (a seed axis, varied fastest).")
    String seeds;

    @Option(names = "--output_dir", paramLabel = "DIR",
            description = "The sweep's folder: manifest, scripts, logs, and each run's folder under runs/.")
    Path outputDir;

    @Option(names = "--jar", paramLabel = "JAR",
            description = "The jar every run starts (default: this one); with slurm, on storage the nodes share.")
    Path jar;

    @Option(names = "--dry_run", description = "Check every run and write the manifest (and the Slurm script)"
            + " without starting anything; start later with sweep resume.")
    boolean dryRun;

    @Mixin
    ExecutionOptions execution = new ExecutionOptions();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<String> runFlags = afterDoubleDash();
        List<String> before = positional.subList(0, positional.size() - runFlags.size());
        if (before.size() > 1) {
            throw SpsnException.usage("sweep: one grid file, got " + String.join(", ", before)
                    + "; training flags go after --");
        }
        if (paper == !before.isEmpty()) {
            throw SpsnException.usage(paper ? "sweep: give --paper or a grid file, not both"
                    : "sweep: give a grid file (YAML or JSON) or --paper");
        }
        if (outputDir == null) {
            throw SpsnException.usage("sweep: give --output_dir, the sweep's folder (manifest, logs and one folder"
                    + " per run)");
        }
        String backend = execution.backend("local");
        Path sweepDir = outputDir.toAbsolutePath().normalize();
        if (backend.equals("slurm")) {
            SlurmBackend.checkFolder(sweepDir);
        }
        if (Manifest.exists(sweepDir)) {
            throw SpsnException.usage("--output_dir: " + sweepDir + " already holds a sweep; continue it with"
                    + " spsn sweep resume " + sweepDir + " or choose another folder");
        }
        Grid grid = paper ? PaperGrid.grid() : GridFile.read(Path.of(before.get(0)));
        String source = paper ? "--paper" : Path.of(before.get(0)).toAbsolutePath().normalize().toString();
        if (seeds != null) {
            grid = grid.withSeeds(SeedList.parse(seeds), paper ? "--paper" : "the grid file");
            source += " --seeds " + seeds;
        }
        List<GridPoint> points = SweepPlan.plan(grid, SweepPlan.parseExtra(runFlags), sweepDir);
        Path jarPath = ToolCommand.jar(jar);

        Backends.prepareFolder(sweepDir);
        Manifest manifest = new Manifest();
        manifest.toolVersion = spsn.cli.Version.current();
        manifest.created = Manifest.now();
        manifest.backend = backend;
        manifest.jar = jarPath.toString();
        manifest.source = source;
        manifest.slurm.putAll(execution.slurmResources());
        points.forEach(p -> manifest.runs.add(new SweepRun(p)));
        manifest.write(sweepDir);
        AtomicFiles.writeString(sweepDir.resolve("grid.txt"), gridListing(points));
        out.printf("sweep: %d runs checked; manifest %s%n", points.size(), Manifest.file(sweepDir));
        out.flush();
        return Backends.start(sweepDir, manifest, manifest.runs, execution, dryRun, out);
    }

    /** The run flags: what follows the first {@code --} on the command line. */
    private List<String> afterDoubleDash() {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        int sweep = args.indexOf("sweep");
        int dash = args.subList(Math.max(0, sweep), args.size()).indexOf("--");
        if (dash < 0) {
            return List.of();
        }
        return List.copyOf(args.subList(Math.max(0, sweep) + dash + 1, args.size()));
    }

    private static String gridListing(List<GridPoint> points) {
        StringBuilder b = new StringBuilder();
        for (GridPoint p : points) {
            b.append(p.index()).append('\t').append(p.key()).append('\t').append(String.join(" ", p.flags())).append('\n');
        }
        return b.toString();
    }

    /** {@code spsn sweep status DIR}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Each run's state (from its folder, and squeue, scontrol or sacct for a Slurm sweep).")
    static final class Status implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "The sweep's folder (its --output_dir).")
        Path dir;

        @Override
        public Integer call() {
            Path sweepDir = dir.toAbsolutePath().normalize();
            SweepStatus.print(sweepDir, SweepStatus.refresh(sweepDir), spec.commandLine().getOut());
            return 0;
        }
    }

    /** {@code spsn sweep resume DIR}. */
    @Command(name = "resume", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Starts (local) or re-submits (slurm) only the runs that are not done and not queued or"
                    + " running; each continues from its checkpoint. The backend and resources may be chosen again.")
    static final class Resume implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "The sweep's folder (its --output_dir).")
        Path dir;

        @Option(names = "--dry_run", description = "Write the Slurm script without submitting it.")
        boolean dryRun;

        @Mixin
        ExecutionOptions execution = new ExecutionOptions();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Path sweepDir = dir.toAbsolutePath().normalize();
            Manifest current = SweepStatus.refresh(sweepDir);
            String backend = execution.backend(current.backend);
            Manifest manifest = Manifest.update(sweepDir, m -> {
                m.backend = backend;
                m.slurm.putAll(execution.slurmResources());
            });
            List<SweepRun> todo = manifest.runs.stream().filter(r -> !r.state.finished() && !r.state.active()).toList();
            long active = manifest.runs.stream().filter(r -> r.state.active()).count();
            if (todo.isEmpty()) {
                out.printf("sweep: nothing to resume: %d of %d runs done, %d queued or running%n",
                        manifest.runs.stream().filter(r -> r.state.finished()).count(), manifest.runs.size(), active);
                out.flush();
                return 0;
            }
            out.printf("sweep: resuming %d of %d runs (%s)%n", todo.size(), manifest.runs.size(),
                    String.join(", ", todo.stream().map(r -> r.key).toList()));
            out.flush();
            return Backends.start(sweepDir, manifest, todo, execution, dryRun, out);
        }
    }

    /** {@code spsn sweep task DIR INDEX}: one run's attempt, what each array task or pool worker runs. */
    @Command(name = "task", hidden = true, description = "Runs one run of a sweep (used by the backends).")
    static final class Task implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR")
        Path dir;

        @Parameters(index = "1", paramLabel = "INDEX")
        int index;

        @Override
        public Integer call() {
            return SweepTask.run(dir.toAbsolutePath().normalize(), index, spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        }
    }
}
