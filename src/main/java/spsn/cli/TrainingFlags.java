package spsn.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import spsn.SpsnException;
import spsn.train.RunSettings;

/**
 * The training command's own parsing and checks, for commands that launch training runs (the
 * sweep): a list of flags is valid here exactly when {@code spsn <flags>} would start.
 */
public final class TrainingFlags {

    private TrainingFlags() {
    }

    /**
     * Parses and validates {@code flags} as the training command does and returns the run's
     * settings; an invalid flag or value throws the message that training would print (exit 2).
     */
    public static RunSettings check(List<String> flags) {
        Main main = new Main();
        CommandLine cli = Main.parser(main);
        CommandLine.ParseResult parsed;
        try {
            parsed = cli.parseArgs(flags.toArray(String[]::new));
        } catch (ParameterException e) {
            throw SpsnException.usage(e.getMessage());
        }
        if (parsed.hasSubcommand() || parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) {
            throw SpsnException.usage("'" + String.join(" ", flags) + "' is not a training run's flags");
        }
        if (main.options.resume != null) {
            throw SpsnException.usage("--resume cannot be a sweep flag: the sweep resumes its runs itself");
        }
        return TrainOptionsValidator.validate(main.options);
    }

    /** Runs {@code spsn <args>} in this JVM, as from the command line, and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, List<String> args) {
        return Main.run(out, err, args.toArray(String[]::new));
    }
}
