package spsn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Stack;

/**
 * A boolean flag taken both ways: SPSN's run.py writes {@code --save_model True}, ParaLIF's
 * {@code --save_model} (argparse store_true). A following word that is not a flag is its value,
 * parsed as {@link PythonBoolean} (so {@code --save_model yes} is an error naming the flag);
 * otherwise the flag alone means True.
 */
public final class StoreTrueOrValue implements CommandLine.IParameterConsumer {

    @Override
    public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
        String next = args.isEmpty() ? null : args.peek();
        if (next == null || next.startsWith("-")) {
            argSpec.setValue(Boolean.TRUE);
            return;
        }
        args.pop();
        try {
            argSpec.setValue(new PythonBoolean().convert(next));
        } catch (CommandLine.TypeConversionException e) {
            String name = argSpec instanceof OptionSpec option ? option.longestName() : argSpec.paramLabel();
            throw new CommandLine.ParameterException(commandSpec.commandLine(),
                    "Invalid value for option '" + name + "': " + e.getMessage());
        }
    }
}
