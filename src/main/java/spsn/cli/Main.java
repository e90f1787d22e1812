package spsn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import spsn.SpsnException;
import spsn.bench.BenchCommand;
import spsn.engine.MklCodePaths;
import spsn.nir.ExportCommand;
import spsn.sweep.SweepCommand;
import spsn.train.Checkpoint;
import spsn.train.RunInterruptedException;
import spsn.train.RunSettings;
import spsn.train.StopSignal;
import spsn.train.TrainingRun;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code java -jar spsn.jar [flags]} trains like the original {@code python run.py [flags]};
 * subcommands add what the original lacks.
 */
@Command(name = "spsn", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        defaultValueProvider = SettingsDefaults.class,
        description = "Trains a spiking neural network (LIF, SPSN-SB, SPSN-GS) or its non-spiking baseline on"
                + " spike-train data such as SHD, like the SPSN paper's run.py.",
        subcommands = {ReportCommand.class, RasterCommand.class, BenchCommand.class, SweepCommand.class,
                ExportCommand.class, DatasetsCommand.class, HelpCommand.class})
public final class Main implements Callable<Integer> {

    @Mixin
    TrainOptions options = new TrainOptions();

    @Option(names = "--verbose", description = "Debug logs and full stack traces on errors.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        TrainingRun run;
        if (options.resume != null) {
            ParseResult parsed = spec.commandLine().getParseResult();
            List<String> given = parsed.matchedOptions().stream().map(OptionSpec::longestName).toList();
            TrainOptionsValidator.checkResumeFlags(given);
            Checkpoint checkpoint = Checkpoint.read(options.resume);
            RunSettings settings = TrainOptionsValidator.resumed(checkpoint.settings(), options, given::contains);
            // The run's files stay beside its checkpoint unless --output_dir sends them elsewhere.
            Path dir = given.contains("--output_dir") ? settings.runDir() : checkpoint.folder();
            downloadIfAsked(settings, out);
            run = new TrainingRun(settings, out, Version.current()).resumeFrom(checkpoint, dir);
        } else {
            RunSettings settings = TrainOptionsValidator.validateNew(options);
            downloadIfAsked(settings, out);
            run = new TrainingRun(settings, out, Version.current());
        }
        try (StopSignal stop = StopSignal.install(spec.commandLine().getErr())) {
            run.stopWhen(stop).run();
        } finally {
            out.flush();
        }
        return 0;
    }

    private void downloadIfAsked(RunSettings settings, PrintWriter out) {
        if (options.download) {
            FetchCommand.fetchIfMissing(settings.data().dataset(), settings.data().dataDir(),
                    settings.session().progress(),
                    out);
        }
    }

    public static void main(String[] args) {
        StopSignal.installDefaults(); // first: a stop signal from now on ends with 130, not 128 + its number
        Map<String, String> engine = Map.of();
        Optional<Integer> childExit = Optional.empty();
        try {
            if (!TunedRelaunch.isChild()) {
                engine = EngineLibrary.choose(args, System.err);
            }
            childExit = TunedRelaunch.runInTunedChild(args, engine);
        } catch (SpsnException e) {
            System.err.println("spsn: " + e.getMessage());
            System.exit(e.exitCode());
        }
        if (childExit.isPresent()) {
            System.exit(childExit.get());
        }
        String[] typed = ArgumentEncoding.fromParent(args);
        try {
            EngineLibrary.applyHere(engine);
            if (System.getenv(ArgumentEncoding.ARGS) == null || !ArgumentEncoding.utf8Names()) {
                ArgumentEncoding.requireRepresentable(typed);
            }
        } catch (SpsnException e) {
            System.err.println("spsn: " + e.getMessage());
            System.exit(e.exitCode());
        }
        System.exit(run(typed));
    }

    /**
     * Runs the command line and returns the exit code: 0 ok, 1 data, I/O or diverged training,
     * 2 usage, {@value RunInterruptedException#EXIT_CODE} stopped by SIGINT, SIGTERM or SIGHUP (checkpoint saved).
     */
    public static int run(String... args) {
        Charset charset = Charset.defaultCharset();
        return run(new PrintWriter(new OutputStreamWriter(System.out, charset), true),
                new PrintWriter(new OutputStreamWriter(System.err, charset), true), args);
    }

    /** {@link #run(String...)} with its output and error lines sent to {@code out} and {@code err}. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        configureRuntime(verbose);
        try {
            // before the engine's first product, relaunched or not, so that both give the same numbers
            if (TunedRelaunch.trains(args)) {
                MklCodePaths.useHere(System.getenv(), ai.djl.util.Utils.getCacheDir(), err);
            }
        } catch (SpsnException e) {
            err.println("spsn: " + e.getMessage());
            return e.exitCode();
        }
        CommandLine cli = parser(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(commandLine.getErr(), e, verbose));
        cli.setParameterExceptionHandler(new UsageErrors(verbose));
        HelpFooter.addTo(cli);
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            return outOfMemory(err, e, verbose);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The command line's parser for {@code main}, as every caller that parses training flags needs it. */
    static CommandLine parser(Main main) {
        CommandLine cli = new CommandLine(main);
        // "datasets" is both a subcommand and the default --data_dir: let option values be subcommand names.
        cli.setAllowSubcommandsAsOptionParameters(true);
        return cli;
    }

    /** Out of memory is one line too: what ran out and what to change. */
    private static int outOfMemory(PrintWriter err, Throwable e, boolean verbose) {
        if (verbose) {
            e.printStackTrace(err);
        }
        long maxHeap = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        err.println("spsn: out of memory (" + (e.getMessage() == null ? "Java heap" : e.getMessage()) + ", Java heap"
                + " limit " + maxHeap + " MiB): use a smaller --batch_size, --hidden_size or --nb_layers, or give"
                + " Java more memory (java -Xmx...)");
        return SpsnException.DATA;
    }

    private static int report(PrintWriter err, Exception e, boolean verbose) {
        if (e.getCause() instanceof OutOfMemoryError oom) {
            return outOfMemory(err, oom, verbose);
        }
        if (verbose) {
            e.printStackTrace(err);
        }
        if (e instanceof SpsnException user) {
            err.println("spsn: " + user.getMessage());
            return user.exitCode();
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("native library") || String.valueOf(e.getCause()).contains("native library")) {
            // DJL extracts libtorch into its cache folder on first use: read-only or full, it fails
            err.println("spsn: cannot prepare the PyTorch native library in DJL's cache folder "
                    + ai.djl.util.Utils.getEngineCacheDir("pytorch") + " (" + message.lines().findFirst().orElse("")
                    + "): make that folder writable with free space, or set DJL_CACHE_DIR to another folder");
            return SpsnException.DATA;
        }
        if (message.contains("can't allocate memory") || message.contains("out of memory")) {
            // libtorch's allocator failed (native memory, or the GPU's)
            err.println("spsn: out of memory in the tensor engine (" + message.lines().findFirst().orElse("").trim()
                    + "): use a smaller --batch_size, --hidden_size or --nb_layers");
            return SpsnException.DATA;
        }
        err.println("spsn: unexpected error: " + e + (verbose ? "" : " (rerun with --verbose for details)"));
        return SpsnException.DATA;
    }

    /** Must run before DJL or any logger starts. */
    static void configureRuntime(boolean verbose) {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("java.awt.headless", "true");
        if (verbose) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
    }
}
