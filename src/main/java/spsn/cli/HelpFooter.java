package spsn.cli;

import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines under every {@code --help}: how to keep a run's flags in a file, where each
 * command's help is, and the versions (what a bug report needs).
 */
final class HelpFooter {

    private HelpFooter() {
    }

    static void addTo(CommandLine root) {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Flags may be kept in a file, as many per line as you like (# starts a comment), and given as"
                + " @FILE: spsn @run.flags --seed 1");
        lines.add("Commands: " + String.join(", ", root.getSubcommands().keySet())
                + ". Their flags: spsn help COMMAND.");
        lines.add("spsn-java " + Version.current() + " (spsn --version)");
        String[] footer = lines.toArray(String[]::new);
        root.getCommandSpec().usageMessage().footer(footer);
        for (CommandLine sub : root.getSubcommands().values()) {
            if (sub.getCommandSpec().usageMessage().footer().length == 0) {
                sub.getCommandSpec().usageMessage().footer(footer);
            }
        }
    }
}
