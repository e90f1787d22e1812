package spsn.nir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import spsn.SpsnException;
import spsn.io.StateDict;
import spsn.io.Tensor;
import spsn.model.NeuronType;
import spsn.neuron.Decay;

/**
 * A NIR graph of the shape this tool's LIF network has, as that network's parameters:
 * Input -> (Affine -> CubaLIF) x nb_layers -> Affine -> CubaLI -> Output (node names are free;
 * NIR's Linear counts as an Affine with zero bias). The graph is read as stepping every
 * {@link EulerMapping#DT} (one step per 1 ms input bin), forward Euler, current first.
 *
 * <p>Per neuron, NIR's parameters fold into this tool's: with a = 1 - dt/tau_syn and
 * b = 1 - dt/tau_mem (the same for every neuron of the graph, as this tool has one pair of time
 * constants), v_leak = 0 and v_reset = 0, the neuron is this tool's LIF on the membrane v/theta
 * when its Affine row is scaled by g = (dt/tau_syn) w_in r / theta (theta = v_threshold, 1 for
 * CubaLI). A graph exported here has g = 1 (to float64 rounding), so its weights come back bit
 * for bit.
 */
public final class NirImport {

    /** Relative tolerance between the graph's time constants and the flags (float64 round trip). */
    private static final double TAU_TOLERANCE = 1e-6;

    private NirImport() {
    }

    /** The architecture a graph holds, and its parameters under the original's state_dict keys. */
    public record Imported(int inputSize, int hiddenSize, int nbLayers, int nbClasses, double toolTauSyn,
                           double toolTauMem, StateDict parameters) {
    }

    /**
     * Reads {@code graph} as this tool's network and checks it against the flags the network was
     * built with; every mismatch is one line naming the node and the flag to give.
     */
    public static StateDict parameters(NirGraph graph, NeuronType neuron, int inputSize, int hiddenSize,
                                       int nbLayers, int nbClasses, double tauSyn, double tauMem, String source) {
        Imported imported = read(graph, source);
        List<String> flags = new ArrayList<>();
        if (neuron != NeuronType.LIF) {
            flags.add("--neuron LIF");
        }
        if (imported.nbLayers() != nbLayers) {
            flags.add("--nb_layers " + imported.nbLayers());
        }
        if (imported.hiddenSize() != hiddenSize) {
            flags.add("--hidden_size " + imported.hiddenSize());
        }
        if (Math.abs(imported.toolTauSyn() - tauSyn) > TAU_TOLERANCE * tauSyn) {
            flags.add(String.format(Locale.ROOT, "--tau_syn %.6g", imported.toolTauSyn()));
        }
        if (Math.abs(imported.toolTauMem() - tauMem) > TAU_TOLERANCE * tauMem) {
            flags.add(String.format(Locale.ROOT, "--tau_mem %.6g", imported.toolTauMem()));
        }
        if (!flags.isEmpty()) {
            throw SpsnException.data(String.format(Locale.ROOT, "model file %s holds a LIF network of %d hidden"
                    + " layers of %d neurons, tau_syn %.6g s and tau_mem %.6g s (as this tool reads them:"
                    + " decay exp(-1 ms/tau) per step), which these flags do not build; run with %s",
                    source, imported.nbLayers(), imported.hiddenSize(), imported.toolTauSyn(), imported.toolTauMem(),
                    String.join(" ", flags)));
        }
        if (imported.inputSize() != inputSize || imported.nbClasses() != nbClasses) {
            throw SpsnException.data("model file " + source + " takes " + imported.inputSize() + " inputs and gives "
                    + imported.nbClasses() + " outputs but the data has " + inputSize + " channels and " + nbClasses
                    + " classes");
        }
        return imported.parameters();
    }

    /** The graph as this tool's LIF network, with the time constants to give as flags. */
    public static Imported read(NirGraph graph, String source) {
        String inputName = null;
        for (var e : graph.nodes().entrySet()) {
            if (e.getValue() instanceof NirNode.Input) {
                if (inputName != null) {
                    throw unsupported(source, "it has two Input nodes (" + inputName + ", " + e.getKey() + ")");
                }
                inputName = e.getKey();
            }
        }
        if (inputName == null) {
            throw unsupported(source, "it has no Input node");
        }
        long[] inShape = ((NirNode.Input) graph.nodes().get(inputName)).shape();
        if (inShape.length != 1) {
            throw unsupported(source, "its Input " + inputName + " has shape " + Arrays.toString(inShape)
                    + "; this tool's input is one vector of channels per step");
        }
        List<String> chain = chain(graph, inputName, source);
        // chain: input, (affine, neuron) x (L + 1), output
        int pairs = (chain.size() - 2) / 2;
        if (chain.size() % 2 != 0 || pairs < 2 || !(graph.nodes().get(chain.get(chain.size() - 1)) instanceof NirNode.Output)) {
            throw unsupported(source, "it is the chain " + String.join(" -> ", describe(graph, chain)));
        }
        double dt = EulerMapping.DT;
        StateDict parameters = new StateDict(source);
        Double a = null;
        Double b = null;
        long previousSize = inShape[0];
        int hiddenSize = -1;
        for (int i = 0; i < pairs; i++) {
            String affineName = chain.get(1 + 2 * i);
            String neuronName = chain.get(2 + 2 * i);
            boolean output = i == pairs - 1;
            if (!(graph.nodes().get(affineName) instanceof NirNode.Affine affine)) {
                throw unsupported(source, "node " + affineName + " (" + graph.nodes().get(affineName).type()
                        + ") stands where an Affine is needed; the chain is " + String.join(" -> ", describe(graph, chain)));
            }
            NirNode node = graph.nodes().get(neuronName);
            if (output ? !(node instanceof NirNode.CubaLi) : !(node instanceof NirNode.CubaLif)) {
                throw unsupported(source, "node " + neuronName + " (" + node.type() + ") stands where a "
                        + (output ? "CubaLI (the non-firing output layer)" : "CubaLIF") + " is needed; the chain is "
                        + String.join(" -> ", describe(graph, chain)));
            }
            long[] wShape = affine.weight().shape();
            if (wShape.length != 2 || wShape[1] != previousSize || affine.bias().numel() != wShape[0]) {
                throw unsupported(source, "node " + affineName + " has weight " + Arrays.toString(wShape)
                        + " and bias " + Arrays.toString(affine.bias().shape()) + " after " + previousSize
                        + " values");
            }
            int n = (int) wShape[0];
            Neuron p = Neuron.of(node, n, neuronName, source);
            double[] gain = new double[n];
            for (int k = 0; k < n; k++) {
                double ak = EulerMapping.decay(p.tauSyn[k], dt);
                double bk = EulerMapping.decay(p.tauMem[k], dt);
                if (!(ak > 0 && ak < 1) || !(bk > 0 && bk < 1)) {
                    throw unsupported(source, String.format(Locale.ROOT, "node %s neuron %d has tau_syn %g s and"
                            + " tau_mem %g s; both must exceed the time step %g s (times are in seconds)",
                            neuronName, k, p.tauSyn[k], p.tauMem[k], dt));
                }
                if (a == null) {
                    a = ak;
                    b = bk;
                } else if ((float) ak != (float) (double) a || (float) bk != (float) (double) b) {
                    throw unsupported(source, String.format(Locale.ROOT, "node %s neuron %d has tau_syn %g s, tau_mem"
                            + " %g s, unlike the first neuron's; this tool's network has one tau_syn and one tau_mem",
                            neuronName, k, p.tauSyn[k], p.tauMem[k]));
                }
                if (p.vLeak[k] != 0 || p.vReset[k] != 0) {
                    throw unsupported(source, "node " + neuronName + " neuron " + k + " has v_leak " + p.vLeak[k]
                            + " and v_reset " + p.vReset[k] + "; this tool's neurons rest and reset at 0");
                }
                if (!(p.threshold[k] > 0) || !Double.isFinite(p.threshold[k])) {
                    throw unsupported(source, "node " + neuronName + " neuron " + k + " has v_threshold "
                            + p.threshold[k] + "; it must be a positive number");
                }
                gain[k] = (dt / p.tauSyn[k]) * p.wIn[k] * p.r[k] / p.threshold[k];
            }
            parameters.put(i + ".fc.weight", scaledRows(affine.weight(), gain));
            parameters.put(i + ".fc.bias", scaledRows(affine.bias(), gain));
            if (!output) {
                if (hiddenSize >= 0 && n != hiddenSize) {
                    throw unsupported(source, "its hidden layers have " + hiddenSize + " and " + n
                            + " neurons; this tool's hidden layers are all of one size");
                }
                hiddenSize = n;
            }
            previousSize = n;
        }
        long[] outShape = ((NirNode.Output) graph.nodes().get(chain.get(chain.size() - 1))).shape();
        if (outShape.length != 1 || outShape[0] != previousSize) {
            throw unsupported(source, "its Output has shape " + Arrays.toString(outShape) + " after "
                    + previousSize + " values");
        }
        return new Imported((int) inShape[0], hiddenSize, pairs - 1, (int) previousSize,
                -Decay.DT / Math.log(a), -Decay.DT / Math.log(b), parameters);
    }

    /** A neuron node's parameters, broadcast to n neurons; CubaLI has threshold 1 and reset 0. */
    private record Neuron(double[] tauSyn, double[] tauMem, double[] r, double[] vLeak, double[] threshold,
                          double[] vReset, double[] wIn) {

        static Neuron of(NirNode node, int n, String name, String source) {
            if (node instanceof NirNode.CubaLif c) {
                return new Neuron(fit(c.tauSyn(), n, name, "tau_syn", source), fit(c.tauMem(), n, name, "tau_mem", source),
                        fit(c.r(), n, name, "r", source), fit(c.vLeak(), n, name, "v_leak", source),
                        fit(c.vThreshold(), n, name, "v_threshold", source),
                        c.vReset() == null ? new double[n] : fit(c.vReset(), n, name, "v_reset", source),
                        c.wIn() == null ? NirNode.filled(n, 1) : fit(c.wIn(), n, name, "w_in", source));
            }
            NirNode.CubaLi c = (NirNode.CubaLi) node;
            return new Neuron(fit(c.tauSyn(), n, name, "tau_syn", source), fit(c.tauMem(), n, name, "tau_mem", source),
                    fit(c.r(), n, name, "r", source), fit(c.vLeak(), n, name, "v_leak", source), NirNode.filled(n, 1),
                    new double[n], c.wIn() == null ? NirNode.filled(n, 1) : fit(c.wIn(), n, name, "w_in", source));
        }

        /** One value per neuron; a single value stands for all (as NIR's scalar w_in does). */
        private static double[] fit(double[] values, int n, String name, String parameter, String source) {
            if (values.length == n) {
                return values;
            }
            if (values.length == 1) {
                return NirNode.filled(n, values[0]);
            }
            throw unsupported(source, "node " + name + " has " + values.length + " values of " + parameter
                    + " for " + n + " neurons");
        }
    }

    private static Tensor scaledRows(Tensor t, double[] gain) {
        float[] data = t.data().clone();
        int cols = data.length / gain.length;
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (data[i] * gain[i / cols]);
        }
        return new Tensor(t.shape(), data);
    }

    /** The nodes from the Input on, each the one successor of the one before; refuses branches and cycles. */
    private static List<String> chain(NirGraph graph, String start, String source) {
        List<String> chain = new ArrayList<>();
        String current = start;
        while (true) {
            if (chain.contains(current)) {
                throw unsupported(source, "it has a cycle through " + current + " (a recurrent layer); this tool's"
                        + " network is feed-forward");
            }
            chain.add(current);
            List<String> previous = graph.predecessors(current);
            if (!current.equals(start) && previous.size() != 1) {
                throw unsupported(source, "node " + current + " (" + graph.nodes().get(current).type() + ") has "
                        + previous.size() + " inputs (" + String.join(", ", previous) + ")"
                        + (previous.contains(current) || previous.size() > 1 ? ": a recurrent or merging connection" : "")
                        + "; this tool's network is a feed-forward chain");
            }
            List<String> next = graph.successors(current);
            if (next.isEmpty()) {
                break;
            }
            if (next.size() > 1) {
                throw unsupported(source, "node " + current + " (" + graph.nodes().get(current).type() + ") feeds "
                        + next.size() + " nodes (" + String.join(", ", next) + "); this tool's network is a chain");
            }
            current = next.get(0);
        }
        if (chain.size() != graph.nodes().size()) {
            List<String> unused = new ArrayList<>(graph.nodes().keySet());
            unused.removeAll(chain);
            throw unsupported(source, "nodes " + String.join(", ", unused) + " are not on the chain from " + start);
        }
        return chain;
    }

    private static List<String> describe(NirGraph graph, List<String> chain) {
        return chain.stream().map(name -> name + " (" + graph.nodes().get(name).type() + ")").toList();
    }

    private static SpsnException unsupported(String source, String why) {
        return SpsnException.data("model file " + source + " is not a NIR graph of this tool's network: " + why
                + " (supported: Input -> (Affine -> CubaLIF) x nb_layers -> Affine -> CubaLI -> Output; see docs/NIR.md)");
    }
}
