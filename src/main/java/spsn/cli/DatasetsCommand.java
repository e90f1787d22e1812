package spsn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spsn datasets ...}: getting the datasets a run trains on. */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "Fetches the Heidelberg spiking datasets (SHD, SSC) into a data folder.",
        subcommands = {FetchCommand.class})
public class DatasetsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "datasets: give a subcommand, e.g. datasets fetch shd");
    }
}
