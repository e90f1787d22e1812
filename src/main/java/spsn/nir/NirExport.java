package spsn.nir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import spsn.SpsnException;
import spsn.io.StateDict;
import spsn.io.Tensor;
import spsn.model.Network;
import spsn.model.NeuronOptions;
import spsn.model.NeuronType;
import spsn.neuron.Decay;

/**
 * A trained network as a NIR graph (docs/NIR.md): Input, then per hidden layer i an Affine
 * {@code fc<i>} and either a CubaLIF {@code lif<i>} (LIF, LIF-LT: reset 0, the layer's threshold;
 * recurrent: the cycle {@code lif<i> -> w_rec<i> -> lif<i>} through the Affine {@code w_rec<i>})
 * or a CubaLI {@code li<i>} then a Threshold {@code thr<i>} (ParaLIF-T), then the non-firing
 * output layer as an Affine and a CubaLI {@code li<L>}, then Output. Time constants in seconds
 * for a forward-Euler step of {@link EulerMapping#DT} (see {@link EulerMapping}).
 */
public final class NirExport {

    /** Neuron tensors a layer may hold beside its Linear map (ParaLIF's Base names them). */
    private static final Set<String> NEURON_TENSORS = Set.of("_spk_threshold", "_alpha", "_beta",
            "nb_spike_per_neuron", "nb_spike_per_neuron_rec", "fc_recu.weight", "fc_recu.bias");

    /**
     * The decay factors of a tensor of raw learnable time constants (0-d, or [H] with
     * --per_neuron), computed as the network computes them (spsn.model.LearnedDecay#decays).
     */
    @FunctionalInterface
    public interface Sigmoid {
        float[] of(Tensor raw);
    }

    private NirExport() {
    }

    /** A feed-forward LIF network of fixed time constants and threshold 1 (SPSN's setup). */
    public static NirGraph graph(StateDict model, NeuronType neuron, double tauMem, double tauSyn, String source) {
        return graph(new TrainedModel(model, neuron, tauMem, tauSyn, NeuronOptions.DEFAULT, "flags"), null, source);
    }

    /**
     * The graph of {@code trained}. {@code sigmoid} gives the decay factor of a learnable time
     * constant's raw value as the network computes it (needed with --learn_tau only).
     *
     * @throws SpsnException (data) when a part of the network has no NIR primitive, naming it
     */
    public static NirGraph graph(TrainedModel trained, Sigmoid sigmoid, String source) {
        List<NirLayer> layers = layers(trained, sigmoid, source);
        return graph(layers, trained.describe());
    }

    /** The graph of these layers (the last is the output layer). */
    static NirGraph graph(List<NirLayer> layers, String trainedWith) {
        double dt = EulerMapping.DT;
        Map<String, NirNode> nodes = new LinkedHashMap<>();
        List<NirGraph.Edge> edges = new ArrayList<>();
        nodes.put("input", new NirNode.Input(new long[] {layers.get(0).weight().shape()[1]}));
        String previous = "input";
        for (int i = 0; i < layers.size(); i++) {
            NirLayer layer = layers.get(i);
            int n = layer.size();
            String fc = "fc" + i;
            nodes.put(fc, new NirNode.Affine(layer.weight(), layer.bias()));
            edges.add(new NirGraph.Edge(previous, fc));
            double[] tauSyn = new double[n];
            double[] tauMem = new double[n];
            double[] wIn = new double[n];
            for (int k = 0; k < n; k++) {
                tauSyn[k] = EulerMapping.tau(layer.alpha()[k], dt);
                tauMem[k] = EulerMapping.tau(layer.beta()[k], dt);
                wIn[k] = EulerMapping.inputWeight(layer.alpha()[k]);
            }
            double[] r = NirNode.filled(n, 1);
            double[] vLeak = NirNode.filled(n, 0);
            switch (layer.kind()) {
                case LIF -> {
                    String lif = "lif" + i;
                    nodes.put(lif, new NirNode.CubaLif(tauSyn, tauMem, r, vLeak, layer.threshold().clone(),
                            NirNode.filled(n, 0), wIn));
                    edges.add(new NirGraph.Edge(fc, lif));
                    if (layer.recurrent()) {
                        // the cycle carries the spikes of the step before (none before the first)
                        String rec = "w_rec" + i;
                        nodes.put(rec, new NirNode.Affine(layer.recurrentWeight(), layer.recurrentBias()));
                        edges.add(new NirGraph.Edge(lif, rec));
                        edges.add(new NirGraph.Edge(rec, lif));
                    }
                    previous = lif;
                }
                case THRESHOLD -> {
                    String li = "li" + i;
                    String thr = "thr" + i;
                    nodes.put(li, new NirNode.CubaLi(tauSyn, tauMem, r, vLeak, wIn));
                    nodes.put(thr, new NirNode.Threshold(layer.threshold().clone()));
                    edges.add(new NirGraph.Edge(fc, li));
                    edges.add(new NirGraph.Edge(li, thr));
                    previous = thr;
                }
                case OUTPUT -> {
                    String li = "li" + i;
                    nodes.put(li, new NirNode.CubaLi(tauSyn, tauMem, r, vLeak, wIn));
                    edges.add(new NirGraph.Edge(fc, li));
                    previous = li;
                }
                default -> throw new IllegalStateException(layer.kind().toString());
            }
        }
        nodes.put("output", new NirNode.Output(new long[] {layers.get(layers.size() - 1).size()}));
        edges.add(new NirGraph.Edge(previous, "output"));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("dt", dt);
        metadata.put("time_unit", "s");
        metadata.put("discretisation", "forward Euler, the current before the membrane in each step");
        if (layers.stream().anyMatch(NirLayer::recurrent)) {
            metadata.put("recurrence", "each w_rec node sees the spikes of the step before (none before the first step)");
        }
        metadata.put("trained_with", "spsn-java, " + trainedWith);
        return new NirGraph(nodes, edges, metadata);
    }

    /** The layers of {@code trained}, read from its state dict, checked to chain. */
    static List<NirLayer> layers(TrainedModel trained, Sigmoid sigmoid, String source) {
        NeuronType neuron = trained.neuron();
        NeuronOptions options = trained.options();
        StateDict model = trained.parameters();
        NirLayer.Kind hiddenKind = hiddenKind(neuron, options, source);
        Set<String> used = new HashSet<>();
        List<NirLayer> layers = new ArrayList<>();
        Decay fixed = Decay.of(trained.tauSyn(), trained.tauMem(), Decay.DT);
        for (int i = 0; model.containsKey(Network.parameterPrefix(neuron, i) + "weight"); i++) {
            String fc = Network.parameterPrefix(neuron, i);
            String p = Network.neuronPrefix(neuron, i);
            Tensor weight = model.get(fc + "weight");
            Tensor bias = model.require(fc + "bias", weight.shape()[0]);
            if (weight.shape().length != 2 || (i > 0 && weight.shape()[1] != layers.get(i - 1).size())) {
                throw SpsnException.data("model file " + source + ": key " + fc + "weight has shape "
                        + Arrays.toString(weight.shape()) + ", which does not follow the layer before it");
            }
            used.add(fc + "weight");
            used.add(fc + "bias");
            for (String name : NEURON_TENSORS) {
                if (model.containsKey(p + name)) {
                    used.add(p + name);
                }
            }
            int n = (int) weight.shape()[0];
            float[] alpha = filled(n, fixed.alpha());
            float[] beta = filled(n, fixed.beta());
            if (options.learnTau()) {
                String what = "the learned time constants of a --learn_tau model";
                alpha = perNeuron(sigmoid.of(neuronTensor(trained, p + "_alpha", n, source, what)), n);
                beta = perNeuron(sigmoid.of(neuronTensor(trained, p + "_beta", n, source, what)), n);
            } else if (options.perNeuron()) {
                // fixed per-neuron decays: the buffers the network integrates with
                String what = "the decay factors of a --per_neuron layer";
                alpha = neuronTensor(trained, p + "_alpha", n, source, what).data().clone();
                beta = neuronTensor(trained, p + "_beta", n, source, what).data().clone();
            }
            Tensor recurrentWeight = model.containsKey(p + "fc_recu.weight") ? model.require(p + "fc_recu.weight", n, n) : null;
            Tensor recurrentBias = recurrentWeight == null ? null : model.require(p + "fc_recu.bias", n);
            layers.add(new NirLayer(hiddenKind, weight, bias, recurrentWeight, recurrentBias, alpha, beta, null));
        }
        if (layers.size() < 2) {
            throw SpsnException.data("model file " + source + " is not a " + neuron.cliName() + " network of this tool"
                    + " (expected keys " + Network.parameterPrefix(neuron, 0) + "weight, "
                    + Network.parameterPrefix(neuron, 0) + "bias, ... for at least one hidden layer and the output"
                    + " layer; it has " + model.keys() + ")");
        }
        List<String> unknown = new ArrayList<>(model.keys());
        unknown.removeAll(used);
        if (!unknown.isEmpty()) {
            throw SpsnException.data("model file " + source + " has keys a " + neuron.cliName() + " network of this"
                    + " tool does not have: " + unknown + "; is --neuron right (see README, Model files)?");
        }
        List<NirLayer> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            NirLayer l = layers.get(i);
            boolean output = i == layers.size() - 1;
            if (output && l.recurrent()) {
                throw SpsnException.data("model file " + source + ": its output layer has a recurrent map ("
                        + Network.neuronPrefix(neuron, i) + "fc_recu.weight), which this tool's networks never have");
            }
            if (!output && l.recurrent() != options.recurrent()) {
                throw SpsnException.data("model file " + source + ": layer " + i + (l.recurrent()
                        ? " is recurrent (fc_recu) but the run's flags say feed-forward; give --recurrent"
                        : " has no recurrent map (fc_recu) but the run's flags say --recurrent"));
            }
            double[] threshold = output ? null : threshold(trained, Network.neuronPrefix(neuron, i), l.size(), source);
            out.add(new NirLayer(output ? NirLayer.Kind.OUTPUT : l.kind(), l.weight(), l.bias(), l.recurrentWeight(),
                    l.recurrentBias(), l.alpha(), l.beta(), threshold));
        }
        return out;
    }

    /**
     * The threshold of each neuron: relu(_spk_threshold) where it learns (ParaLIF's family; one
     * per neuron with --per_neuron), else the fixed one.
     */
    private static double[] threshold(TrainedModel trained, String prefix, int n, String source) {
        if (!trained.neuron().family().learnsThreshold()) {
            return NirNode.filled(n, trained.options().threshold(trained.neuron()));
        }
        float[] raw = perNeuron(neuronTensor(trained, prefix + "_spk_threshold", n, source, "the layer's threshold").data(), n);
        double[] out = new double[n];
        for (int k = 0; k < n; k++) {
            out[k] = Math.max(0f, raw[k]);
        }
        return out;
    }

    /** Values of a 0-d tensor (one per layer) broadcast to its n neurons; [n] ones as they are. */
    private static float[] perNeuron(float[] values, int n) {
        return values.length == n ? values : filled(n, values[0]);
    }

    private static float[] filled(int n, float value) {
        float[] out = new float[n];
        Arrays.fill(out, value);
        return out;
    }

    /** A neuron tensor of a layer of n neurons: 0-d, or [n] with --per_neuron. */
    private static Tensor neuronTensor(TrainedModel trained, String key, int n, String source, String what) {
        StateDict model = trained.parameters();
        if (!model.containsKey(key)) {
            throw SpsnException.data("model file " + source + " has no key " + key + " (" + what + "); was it trained"
                    + " with these flags?");
        }
        Tensor t = model.get(key);
        boolean perNeuron = trained.options().perNeuron();
        if (perNeuron && (t.shape().length != 1 || t.numel() != n)) {
            throw SpsnException.data("model file " + source + ": key " + key + " has shape " + Arrays.toString(t.shape())
                    + " but a --per_neuron layer of " + n + " neurons has [" + n + "]; was it trained without"
                    + " --per_neuron?");
        }
        if (!perNeuron && t.numel() != 1) {
            throw SpsnException.data("model file " + source + ": key " + key + " has " + t.numel() + " values, one per"
                    + " neuron, but the run's flags say one per layer; was it trained with --per_neuron?");
        }
        return t;
    }

    /**
     * The NIR form of the hidden layers, or one line naming the part of the network NIR has no
     * primitive for.
     */
    private static NirLayer.Kind hiddenKind(NeuronType neuron, NeuronOptions options, String source) {
        String why = null;
        NirLayer.Kind kind = null;
        switch (neuron) {
            case LIF, LIF_LT -> {
                kind = NirLayer.Kind.LIF;
                if (options.perNeuron()) {
                    why = "--per_neuron is for parallel neurons only, and " + neuron.cliName() + " layers have one"
                            + " threshold and one pair of time constants each";
                } else if (options.recurrentRelu()) {
                    why = "its recurrence feeds back relu of the membrane (--recurrent_relu), and NIR's CubaLIF"
                            + " gives out spikes only";
                }
            }
            case PARALIF_T -> {
                kind = NirLayer.Kind.THRESHOLD;
                if (options.recurrent()) {
                    why = "ParaLIF's recurrence (--recurrent: fed by the spikes of the feed-forward membrane shifted by"
                            + " one step, not by the layer's own spikes) has no NIR primitive";
                }
            }
            case SPSN_SB, SPSN_GS, PARALIF_SB, PARALIF_GS, PARALIF_TRB -> why = neuron.cliName()
                    + " neurons fire at random (stochastic " + (neuron == NeuronType.SPSN_GS || neuron == NeuronType.PARALIF_GS
                    ? "Gumbel-softmax" : "Bernoulli") + " spikes), and NIR's neurons are deterministic";
            case PARALIF_D, PARALIF_SD, PARALIF_TD, PARALIF_TRD -> why = neuron.cliName()
                    + " neurons fire on the rise of their " + (neuron == NeuronType.PARALIF_D ? "" : "normalised ")
                    + "membrane over one step (delta spikes), which no NIR neuron computes";
            case PARALIF_ST, PARALIF_TT, PARALIF_TRT -> why = neuron.cliName() + " neurons compare "
                    + normaliser(neuron) + "(V) with the threshold (their " + normaliser(neuron) + " normaliser),"
                    + " which NIR has no primitive for";
            case NON_SPIKING -> why = "Non-Spiking networks use ReLU units, which NIR has no primitive for";
            default -> why = neuron.cliName() + " neurons have no NIR mapping in this exporter";
        }
        if (why != null) {
            throw SpsnException.data(String.format(Locale.ROOT, "%s: cannot export to NIR: %s; LIF and LIF-LT"
                    + " (feed-forward or --recurrent) and feed-forward ParaLIF-T networks export (docs/NIR.md)",
                    source, why));
        }
        return kind;
    }

    private static String normaliser(NeuronType neuron) {
        return switch (neuron) {
            case PARALIF_ST -> "sigmoid";
            case PARALIF_TT -> "tanh";
            default -> "relu(tanh)";
        };
    }
}
