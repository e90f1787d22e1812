package spsn.nir;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import spsn.SpsnException;
import spsn.model.LearnedDecay;

/** {@code spsn export --to nir MODEL -o model.nir}: a trained network for other frameworks and hardware. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Writes a trained LIF, LIF-LT or ParaLIF-T network (model_<neuron>_<id>.pt or a checkpoint) as a NIR graph"
                + " (Neuromorphic Intermediate Representation, HDF5) for NIR's simulators and hardware targets."
                + " Time constants in seconds, one forward-Euler step = 1 ms; see docs/NIR.md.")
public final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--to", required = true, paramLabel = "FORMAT", description = "Format to write: nir.")
    String format;

    @Parameters(index = "0", paramLabel = "MODEL",
            description = "model_<neuron>_<id>.pt (--save_model True) or checkpoint_<neuron>_<id>.json.")
    Path model;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "File to write (default: MODEL with the extension .nir). Never replaced if it exists.")
    Path output;

    @Option(names = "--neuron", paramLabel = "NEURON", description = "Neuron the model was trained with (default: from the run's"
            + " results or checkpoint file beside MODEL).")
    String neuron;

    @Option(names = "--tau_mem", paramLabel = "SECONDS", description = "Its membrane time constant, seconds (default: from the run's files).")
    Double tauMem;

    @Option(names = "--tau_syn", paramLabel = "SECONDS", description = "Its synaptic time constant, seconds (default: from the run's files).")
    Double tauSyn;

    @Option(names = "--learn_tau", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Whether its time constants learned (default: from the run's files; SPSN's neurons: from the tensors).")
    Boolean learnTau;

    @Option(names = "--recurrent_relu", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Whether its recurrence fed back relu of the membrane (default: from the run's files).")
    Boolean recurrentRelu;

    @Option(names = "--spk_threshold", paramLabel = "X",
            description = "Its fixed firing threshold (default: from the run's files, else the neuron's default;"
                    + " a learned threshold is read from the tensors).")
    Double spkThreshold;

    @Option(names = "--per_neuron", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Whether it had one threshold and one pair of time constants per neuron (default: from the"
                    + " run's files, else from the tensors' shapes).")
    Boolean perNeuron;

    @Override
    public Integer call() {
        if (!"nir".equals(format)) {
            throw SpsnException.usage("--to: unknown format '" + format + "'; the one format is nir");
        }
        TrainedModel trained = TrainedModel.read(model, neuron, tauMem, tauSyn, learnTau, recurrentRelu, spkThreshold,
                perNeuron);
        NirGraph graph;
        if (trained.options().learnTau()) {
            // the decay factors are sigmoids of the raw parameters, as the network's engine computes them
            try (NDManager manager = NDManager.newBaseManager()) {
                graph = NirExport.graph(trained, raw -> LearnedDecay.decays(manager, raw.data(), raw.shape()), model.toString());
            }
        } else {
            graph = NirExport.graph(trained, null, model.toString());
        }
        Path target = output != null ? output : defaultOutput(model);
        NirFile.write(target, graph);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "Wrote %s: %d nodes, %d edges (%s, tau_mem %s s, tau_syn %s s%s from %s; time step %s s)%n",
                target, graph.nodes().size(), graph.edges().size(), trained.neuron().cliName(), trained.tauMem(),
                trained.tauSyn(), (trained.options().learnTau() ? ", learned time constants" : "")
                        + (trained.options().perNeuron() ? ", per neuron" : "")
                        + (trained.options().recurrent() ? ", recurrent" : ""), trained.flagsFrom(), EulerMapping.DT);
        out.flush();
        return 0;
    }

    private static Path defaultOutput(Path model) {
        String name = model.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return model.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".nir");
    }
}
