package spsn.cli;

import picocli.CommandLine;
import spsn.model.NeuronType;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines under every {@code --help}: how to keep a run's flags in a file, where each
 * command's help is, and the versions (what a bug report needs). The training command's help
 * first lists every neuron of the registry with its one-line description, so a new neuron shows
 * up there with no edit here.
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
        List<String> training = new ArrayList<>();
        training.add("");
        training.add("Neurons (--neuron):");
        int width = 0;
        for (NeuronType type : NeuronType.values()) {
            width = Math.max(width, type.cliName().length());
        }
        for (NeuronType type : NeuronType.values()) {
            training.add(String.format("  %-" + width + "s  %s", type.cliName(), type.help()));
        }
        training.addAll(lines);
        root.getCommandSpec().usageMessage().footer(training.toArray(String[]::new));
        for (CommandLine sub : root.getSubcommands().values()) {
            if (sub.getCommandSpec().usageMessage().footer().length == 0) {
                sub.getCommandSpec().usageMessage().footer(footer);
            }
        }
    }
}
