package spsn.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParseResult;
import spsn.SpsnException;
import spsn.engine.LibtorchSetup;
import spsn.train.Checkpoint;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Before the engine starts: the libtorch for the command's {@code --device} (see
 * {@link LibtorchSetup}), handed to the tuned child JVM as environment variables, or set as system
 * properties (which the engine also reads) when this JVM runs the command itself.
 */
final class EngineLibrary {

    private EngineLibrary() {
    }

    /**
     * The engine's variables for this command line (empty for commands that train nothing), after
     * printing the plan's notes; throws when the run cannot go on ({@code --device gpu} without a
     * usable CUDA libtorch).
     */
    static Map<String, String> choose(String[] args, PrintStream err) {
        Optional<String> device = requestedDevice(args);
        if (device.isEmpty()) {
            return Map.of();
        }
        LibtorchSetup.Plan plan = LibtorchSetup.plan(device.get(), LibtorchSetup.Host.real());
        plan.notes().forEach(err::println);
        if (plan.failed()) {
            throw SpsnException.data(plan.error());
        }
        return plan.engineEnvironment();
    }

    /**
     * The --device of a training run or a bench, as the command line gives it (a resumed run's
     * checkpoint otherwise); empty for other commands and for command lines that do not parse
     * (the command itself then says what is wrong).
     */
    static Optional<String> requestedDevice(String[] args) {
        try {
            Main main = new Main();
            CommandLine cli = Main.parser(main);
            ParseResult parsed = cli.parseArgs(args);
            if (parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) {
                return Optional.empty();
            }
            String device;
            if (parsed.hasSubcommand()) {
                ParseResult sub = parsed.subcommand();
                if (!sub.commandSpec().name().equals("bench") || sub.isUsageHelpRequested()) {
                    return Optional.empty();
                }
                device = sub.matchedOptionValue("--device", "auto");
            } else {
                String given = parsed.matchedOptionValue("--device", null);
                if (given == null && main.options.resume != null) {
                    given = Checkpoint.read(main.options.resume).settings().training().device();
                }
                device = given == null ? "auto" : given;
            }
            // another value is the command's to refuse
            return device.equals("auto") || device.equals("cpu") || device.equals("gpu") ? Optional.of(device)
                    : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Sets the engine's variables in this JVM (before the engine starts). The engine reads the
     * environment first: a variable there that must change or go cannot be overridden from here.
     */
    static void applyHere(Map<String, String> engine) {
        for (Map.Entry<String, String> e : engine.entrySet()) {
            String inEnvironment = System.getenv(e.getKey());
            if (e.getValue() == null) {
                if (inEnvironment != null && e.getKey().equals(LibtorchSetup.LIBRARY_PATH)
                        && Files.exists(Path.of(inEnvironment, "libtorch.so"))) {
                    throw SpsnException.data(e.getKey() + "=" + inEnvironment + " cannot be used and this JVM cannot"
                            + " ignore it (SPSN_NO_RELAUNCH=1): unset it");
                }
            } else if (inEnvironment != null && !inEnvironment.equals(e.getValue())) {
                throw SpsnException.data(e.getKey() + "=" + inEnvironment + " would override " + e.getValue()
                        + " in this JVM (SPSN_NO_RELAUNCH=1): unset it or set it to " + e.getValue());
            } else {
                System.setProperty(e.getKey(), e.getValue());
            }
        }
    }
}
