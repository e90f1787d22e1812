package spsn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import spsn.SpsnException;
import spsn.bench.BenchCommand;
import spsn.train.TrainingRun;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code java -jar spsn.jar [flags]} trains like the original {@code python run.py [flags]};
 * subcommands add what the original lacks.
 */
@Command(name = "spsn", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = "Trains a spiking neural network (LIF, SPSN-SB, SPSN-GS) or its non-spiking baseline on"
                + " spike-train data such as SHD, like the SPSN paper's run.py.",
        subcommands = {ReportCommand.class, RasterCommand.class, BenchCommand.class})
public final class Main implements Callable<Integer> {

    @Mixin
    TrainOptions options = new TrainOptions();

    @Option(names = "--verbose", description = "Debug logs and full stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() {
        new TrainingRun(TrainOptionsValidator.validate(options), System.out, Version.current()).run();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (0 ok, 1 data or I/O, 2 usage). */
    public static int run(String... args) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        configureRuntime(verbose);
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(commandLine.getErr(), e, verbose));
        cli.setParameterExceptionHandler((e, strings) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("spsn: " + e.getMessage() + " (see --help)");
            if (verbose) {
                e.printStackTrace(err);
            }
            return SpsnException.USAGE;
        });
        return cli.execute(args);
    }

    private static int report(PrintWriter err, Exception e, boolean verbose) {
        if (verbose) {
            e.printStackTrace(err);
        }
        if (e instanceof SpsnException user) {
            err.println("spsn: " + user.getMessage());
            return user.exitCode();
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
