package spsn.cli;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;
import spsn.SpsnException;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * A command-line mistake as one line, {@code spsn: ...}, exit 2: for a mistyped flag or command,
 * the nearest ones picocli finds ("did you mean --nb_epochs?"), and always where the help is.
 */
final class UsageErrors implements IParameterExceptionHandler {

    private final boolean verbose;

    UsageErrors(boolean verbose) {
        this.verbose = verbose;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("spsn: " + message(e) + " (see " + helpCommand(e.getCommandLine()) + ")");
        if (verbose) {
            e.printStackTrace(err);
        }
        return SpsnException.USAGE;
    }

    static String message(ParameterException e) {
        if (!(e instanceof UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) {
            return e.getMessage();
        }
        String first = unmatched.getUnmatched().get(0).replaceFirst("^(--?[^=]+)=.*$", "$1");
        // picocli ranks the command's option names (or, for a word, its subcommand names) by similarity.
        List<String> nearest = unmatched.getSuggestions().stream().limit(3).toList();
        if (nearest.isEmpty() && unmatched.isUnknownOption()) {
            nearest = containing(unmatched.getCommandLine(), first);
        }
        String what;
        if (unmatched.isUnknownOption()) {
            what = "unknown option '" + first + "'";
        } else if (!nearest.isEmpty()) {
            what = "unknown command '" + first + "'";
        } else {
            what = "unexpected argument '" + first + "'";
        }
        if (nearest.isEmpty()) {
            return what;
        }
        return what + "; did you mean " + String.join(" or ", nearest) + "?";
    }

    /**
     * Options whose name holds the typed word or is held by it ("--epochs": --nb_epochs), for the
     * typos picocli's bigram similarity misses: a dropped prefix is too far for it.
     */
    private static List<String> containing(CommandLine command, String typed) {
        String word = typed.replaceFirst("^-+", "").replaceFirst("=.*$", "").toLowerCase(Locale.ROOT);
        if (word.length() < 3) {
            return List.of();
        }
        return command.getCommandSpec().options().stream()
                .map(OptionSpec::longestName)
                .filter(name -> {
                    String bare = name.replaceFirst("^-+", "").toLowerCase(Locale.ROOT);
                    return bare.length() >= 3 && (bare.contains(word) || word.contains(bare));
                })
                .distinct().sorted().limit(3).toList();
    }

    /** "spsn --help", or "spsn help report" for a subcommand's mistake. */
    private static String helpCommand(CommandLine command) {
        CommandLine parent = command.getParent();
        return parent == null ? command.getCommandName() + " --help"
                : parent.getCommandName() + " help " + command.getCommandName();
    }
}
