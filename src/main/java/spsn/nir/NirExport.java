package spsn.nir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import spsn.SpsnException;
import spsn.io.StateDict;
import spsn.io.Tensor;
import spsn.model.NeuronType;
import spsn.neuron.Decay;
import spsn.neuron.LifDynamics;

/**
 * A trained network as a NIR graph (docs/NIR.md): Input, then per hidden layer i an Affine
 * {@code fc<i>} and a CubaLIF {@code lif<i>} (threshold 1, reset 0), then the non-firing output
 * layer as an Affine and a CubaLI {@code li<L>}, then Output. Time constants in seconds for a
 * forward-Euler step of {@link EulerMapping#DT} (see {@link EulerMapping}).
 */
public final class NirExport {

    private NirExport() {
    }

    /**
     * The graph of the network whose parameters are {@code model} (the original's keys
     * {@code <i>.fc.weight}, {@code <i>.fc.bias}), trained with {@code neuron} and these time
     * constants in seconds.
     *
     * @throws SpsnException (data) when the neuron has no NIR primitive, naming it
     */
    public static NirGraph graph(StateDict model, NeuronType neuron, double tauMem, double tauSyn, String source) {
        refuseUnsupported(neuron, source);
        List<Tensor[]> layers = layers(model, source);
        Decay decay = Decay.of(tauSyn, tauMem, Decay.DT);
        double dt = EulerMapping.DT;
        Map<String, NirNode> nodes = new LinkedHashMap<>();
        List<NirGraph.Edge> edges = new ArrayList<>();
        nodes.put("input", new NirNode.Input(new long[] {layers.get(0)[0].shape()[1]}));
        String previous = "input";
        for (int i = 0; i < layers.size(); i++) {
            Tensor weight = layers.get(i)[0];
            int n = (int) weight.shape()[0];
            boolean output = i == layers.size() - 1;
            String fc = "fc" + i;
            String neurons = (output ? "li" : "lif") + i;
            nodes.put(fc, new NirNode.Affine(weight, layers.get(i)[1]));
            double[] tauSynArray = NirNode.filled(n, EulerMapping.tau(decay.alpha(), dt));
            double[] tauMemArray = NirNode.filled(n, EulerMapping.tau(decay.beta(), dt));
            double[] wIn = NirNode.filled(n, EulerMapping.inputWeight(decay.alpha()));
            double[] r = NirNode.filled(n, 1);
            double[] vLeak = NirNode.filled(n, 0);
            nodes.put(neurons, output
                    ? new NirNode.CubaLi(tauSynArray, tauMemArray, r, vLeak, wIn)
                    : new NirNode.CubaLif(tauSynArray, tauMemArray, r, vLeak,
                            NirNode.filled(n, LifDynamics.THRESHOLD), NirNode.filled(n, 0), wIn));
            edges.add(new NirGraph.Edge(previous, fc));
            edges.add(new NirGraph.Edge(fc, neurons));
            previous = neurons;
        }
        nodes.put("output", new NirNode.Output(new long[] {layers.get(layers.size() - 1)[0].shape()[0]}));
        edges.add(new NirGraph.Edge(previous, "output"));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("dt", dt);
        metadata.put("time_unit", "s");
        metadata.put("discretisation", "forward Euler, the current before the membrane in each step");
        metadata.put("trained_with", "spsn-java, --neuron " + neuron.cliName() + " --tau_mem " + tauMem
                + " --tau_syn " + tauSyn);
        return new NirGraph(nodes, edges, metadata);
    }

    /** One line naming the neuron and why NIR cannot express it. */
    static void refuseUnsupported(NeuronType neuron, String source) {
        if (neuron == NeuronType.LIF) {
            return;
        }
        String why = switch (neuron) {
            case SPSN_SB, SPSN_GS -> neuron.cliName() + " neurons fire at random (stochastic firing), and NIR's"
                    + " neurons are deterministic";
            case NON_SPIKING -> "Non-Spiking networks use ReLU units, which NIR has no primitive for";
            default -> neuron.cliName() + " neurons have no NIR mapping in this exporter";
        };
        throw SpsnException.data(source + ": cannot export to NIR: " + why + "; only LIF networks export");
    }

    /** [weight, bias] of each layer 0..L, in order, checked to chain. */
    private static List<Tensor[]> layers(StateDict model, String source) {
        List<Tensor[]> layers = new ArrayList<>();
        for (int i = 0; model.containsKey(i + ".fc.weight"); i++) {
            Tensor weight = model.get(i + ".fc.weight");
            Tensor bias = model.require(i + ".fc.bias", weight.shape()[0]);
            if (weight.shape().length != 2 || (i > 0 && weight.shape()[1] != layers.get(i - 1)[0].shape()[0])) {
                throw SpsnException.data("model file " + source + ": key " + i + ".fc.weight has shape "
                        + Arrays.toString(weight.shape()) + ", which does not follow the layer before it");
            }
            layers.add(new Tensor[] {weight, bias});
        }
        if (layers.size() < 2 || layers.size() != model.size() / 2) {
            throw SpsnException.data("model file " + source + " is not a spiking network of this tool (expected keys"
                    + " 0.fc.weight, 0.fc.bias, ... for at least one hidden layer and the output layer; it has "
                    + model.keys() + ")");
        }
        return layers;
    }
}
