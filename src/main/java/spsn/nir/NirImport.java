package spsn.nir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import spsn.SpsnException;
import spsn.io.StateDict;
import spsn.io.Tensor;
import spsn.model.Network;
import spsn.model.NetworkConfig;
import spsn.model.NeuronType;
import spsn.neuron.Decay;

/**
 * A NIR graph of a shape this tool's networks have, as a network's parameters:
 * Input, then per hidden layer an Affine and either a CubaLIF (LIF, LIF-LT; recurrent when a
 * node W sits on the cycle CubaLIF -> W -> CubaLIF, W an Affine or Linear) or a CubaLI then a
 * Threshold (ParaLIF-T), then an Affine, a CubaLI and the Output (node names are free; NIR's
 * Linear counts as an Affine with zero bias). The graph is read as stepping every
 * {@link EulerMapping#DT} (one step per 1 ms input bin), forward Euler, current first; a
 * recurrent W sees the spikes of the step before (none before the first step).
 *
 * <p>Per neuron k, NIR's parameters fold into this tool's: with a = 1 - dt/tau_syn and
 * b = 1 - dt/tau_mem (one pair per layer, or per neuron into a --per_neuron network), v_leak = 0 and
 * v_reset = 0, the neuron is this tool's on the membrane v theta/theta_k (theta_k its
 * v_threshold or Threshold value, theta the threshold of the network built) when every row of
 * input into it (feed-forward and recurrent) is scaled by g_k = (dt/tau_syn) w_in r theta/theta_k.
 * A graph exported here has g = 1 (to float64 rounding), so its weights come back bit for bit.
 * Into a --per_neuron network (ParaLIF-T) each neuron keeps its own theta_k and decays, and its
 * rows are scaled by (dt/tau_syn) w_in r.
 */
public final class NirImport {

    /**
     * The raw values of a tensor of learnable decay factors of {@code shape} (0-d, or [H] with
     * --per_neuron; spsn.model.LearnedDecay#raws), or one line naming {@code what}.
     */
    @FunctionalInterface
    public interface RawDecay {
        float[] raw(float[] decays, long[] shape, String what);
    }

    /** Relative tolerance between the graph's time constants and the flags (float64 round trip). */
    private static final double TAU_TOLERANCE = 1e-6;

    private NirImport() {
    }

    /**
     * One layer as read: its Affine maps as in the file, the gain g_k / theta = (dt/tau_syn) w_in r /
     * theta_k per neuron, the neurons' thresholds theta_k (1 for the output layer) and the
     * decay factors.
     */
    record ReadLayer(NirLayer.Kind kind, String name, NirNode.Affine input, NirNode.Affine recurrent, double[] gain,
                     double[] thresholds, float[] alpha, float[] beta) {

        int size() {
            return gain.length;
        }

        /** The threshold a layer with a learnable threshold takes: the first neuron's (all of them, usually). */
        double layerThreshold() {
            return thresholds[0];
        }

        /** Whether every neuron has the first one's decay factors. */
        boolean uniformDecay() {
            for (int k = 0; k < alpha.length; k++) {
                if (alpha[k] != alpha[0] || beta[k] != beta[0]) {
                    return false;
                }
            }
            return true;
        }

        /** Whether every neuron has the first one's threshold. */
        boolean uniformThreshold() {
            return Arrays.stream(thresholds).allMatch(t -> t == thresholds[0]);
        }

        /** This layer in this tool's terms at {@code threshold}: rows scaled by g_k (one rounding to float32). */
        NirLayer at(double threshold) {
            double[] rows = new double[gain.length];
            for (int k = 0; k < rows.length; k++) {
                rows[k] = gain[k] * threshold;
            }
            return scaled(rows, NirNode.filled(gain.length, threshold));
        }

        /** This layer with each neuron at its own threshold theta_k: rows scaled by g_k theta_k. */
        NirLayer atOwnThresholds() {
            double[] rows = new double[gain.length];
            for (int k = 0; k < rows.length; k++) {
                rows[k] = gain[k] * thresholds[k];
            }
            return scaled(rows, thresholds.clone());
        }

        private NirLayer scaled(double[] rows, double[] threshold) {
            return new NirLayer(kind, scaledRows(input.weight(), rows), scaledRows(input.bias(), rows),
                    recurrent == null ? null : scaledRows(recurrent.weight(), rows),
                    recurrent == null ? null : scaledRows(recurrent.bias(), rows), alpha, beta, threshold);
        }
    }

    /** The network a graph holds. */
    public record Imported(int inputSize, int hiddenSize, int nbLayers, int nbClasses, List<ReadLayer> layers) {

        /** LIF (CubaLIF layers) or THRESHOLD (CubaLI then Threshold, ParaLIF-T). */
        public NirLayer.Kind hiddenKind() {
            return layers.get(0).kind();
        }

        public boolean recurrent() {
            return layers.get(0).recurrent() != null;
        }

        /** Whether every neuron of every layer has the same decay factors (a network of fixed time constants). */
        public boolean uniformDecay() {
            return layers.stream().allMatch(l -> l.uniformDecay() && l.alpha()[0] == layers.get(0).alpha()[0]
                    && l.beta()[0] == layers.get(0).beta()[0]);
        }

        /** Whether the neurons of a layer have time constants that differ (only --per_neuron holds them). */
        public boolean perNeuronDecay() {
            return layers.stream().anyMatch(l -> !l.uniformDecay());
        }

        /** Whether the neurons of a hidden layer have thresholds that differ. */
        public boolean perNeuronThreshold() {
            return layers.stream().anyMatch(l -> l.kind() != NirLayer.Kind.OUTPUT && !l.uniformThreshold());
        }

        /** --tau_syn that gives the first neuron's current decay (decay exp(-1 ms/tau) per step). */
        public double toolTauSyn() {
            return -Decay.DT / Math.log(layers.get(0).alpha()[0]);
        }

        public double toolTauMem() {
            return -Decay.DT / Math.log(layers.get(0).beta()[0]);
        }

        /** The layers in this tool's terms, every hidden neuron at its own threshold (--per_neuron). */
        public List<NirLayer> atOwnThresholds() {
            List<NirLayer> out = new ArrayList<>();
            for (ReadLayer l : layers) {
                out.add(l.kind() == NirLayer.Kind.OUTPUT ? l.at(1) : l.atOwnThresholds());
            }
            return out;
        }

        /** The layers in this tool's terms, hidden layers at {@code threshold} (null: each layer's own). */
        public List<NirLayer> at(Double threshold) {
            List<NirLayer> out = new ArrayList<>();
            for (ReadLayer l : layers) {
                boolean output = l.kind() == NirLayer.Kind.OUTPUT;
                out.add(l.at(output ? 1 : threshold != null ? threshold : l.layerThreshold()));
            }
            return out;
        }

        /**
         * The parameters as SPSN's LIF network of threshold 1 names them ({@code <i>.fc.weight},
         * {@code <i>.fc.bias}, and {@code <i>.fc_recu.*} when recurrent).
         */
        public StateDict parameters() {
            StateDict dict = new StateDict("NIR graph");
            List<NirLayer> folded = at(1.0);
            for (int i = 0; i < folded.size(); i++) {
                NirLayer l = folded.get(i);
                dict.put(i + ".fc.weight", l.weight());
                dict.put(i + ".fc.bias", l.bias());
                if (l.recurrent()) {
                    dict.put(i + ".fc_recu.weight", l.recurrentWeight());
                    dict.put(i + ".fc_recu.bias", l.recurrentBias());
                }
            }
            return dict;
        }
    }

    /**
     * Reads {@code graph} as the network {@code config} builds and checks it against the flags;
     * every mismatch is one line naming the flags to give. {@code template} holds every key of
     * that network (its fresh state: buffers keep their values); {@code rawOfDecay} gives the raw
     * parameter of a learnable decay factor (needed with --learn_tau only).
     */
    public static StateDict parameters(NirGraph graph, NetworkConfig config, StateDict template,
                                       RawDecay rawOfDecay, String source) {
        Imported imported = read(graph, source);
        NeuronType neuron = config.neuron();
        boolean learnTau = config.options().learnTau();
        boolean perNeuron = config.options().perNeuron();
        List<String> flags = new ArrayList<>();
        boolean lifGraph = imported.hiddenKind() == NirLayer.Kind.LIF;
        if (lifGraph ? neuron.dynamics() != NeuronType.Dynamics.LIF : neuron != NeuronType.PARALIF_T) {
            flags.add(lifGraph ? "--neuron LIF (or LIF-LT)" : "--neuron ParaLIF-T");
        }
        boolean recurrent = config.options().recurrent() && !config.options().recurrentRelu();
        if (imported.recurrent() != recurrent) {
            flags.add(imported.recurrent() ? "--recurrent (without --recurrent_relu)" : "no --recurrent");
        }
        if (imported.nbLayers() != config.nbLayers()) {
            flags.add("--nb_layers " + imported.nbLayers());
        }
        if (imported.hiddenSize() != config.hiddenSize()) {
            flags.add("--hidden_size " + imported.hiddenSize());
        }
        if (lifGraph && imported.perNeuronDecay()) {
            ReadLayer l = imported.layers().stream().filter(x -> !x.uniformDecay()).findFirst().orElseThrow();
            throw unsupported(source, "node " + l.name() + " has time constants that differ between its neurons; a"
                    + " LIF network's layers have one tau_syn and one tau_mem each (per-neuron ones: ParaLIF-T"
                    + " --per_neuron only)");
        }
        // --per_neuron without --learn_tau: the decay buffers take the file's decays as they are
        boolean decaysFromFile = perNeuron && !learnTau && !imported.uniformDecay();
        if (!lifGraph && imported.perNeuronDecay() && !perNeuron) {
            flags.add("--per_neuron (its neurons have time constants of their own)");
        } else if (!learnTau && !perNeuron && !imported.uniformDecay()) {
            flags.add("--learn_tau (its layers have time constants of their own)");
        } else if (!learnTau && !decaysFromFile) {
            if (Math.abs(imported.toolTauSyn() - config.tauSyn()) > TAU_TOLERANCE * config.tauSyn()) {
                flags.add(String.format(Locale.ROOT, "--tau_syn %.6g", imported.toolTauSyn()));
            }
            if (Math.abs(imported.toolTauMem() - config.tauMem()) > TAU_TOLERANCE * config.tauMem()) {
                flags.add(String.format(Locale.ROOT, "--tau_mem %.6g", imported.toolTauMem()));
            }
        }
        if (!flags.isEmpty()) {
            throw SpsnException.data(String.format(Locale.ROOT, "model file %s holds %s of %d hidden layers of %d"
                    + " neurons, tau_syn %.6g s and tau_mem %.6g s%s (as this tool reads them: decay exp(-1 ms/tau)"
                    + " per step), which these flags do not build; run with %s", source, describe(imported),
                    imported.nbLayers(), imported.hiddenSize(), imported.toolTauSyn(), imported.toolTauMem(),
                    imported.uniformDecay() ? "" : imported.perNeuronDecay() ? " in its first neuron"
                    : " in its first layer", String.join(" ", flags)));
        }
        if (imported.inputSize() != config.inputSize() || imported.nbClasses() != config.nbClasses()) {
            throw SpsnException.data("model file " + source + " takes " + imported.inputSize() + " inputs and gives "
                    + imported.nbClasses() + " outputs but the data has " + config.inputSize() + " channels and "
                    + config.nbClasses() + " classes");
        }
        boolean learnsThreshold = neuron.family().learnsThreshold();
        // --per_neuron: each neuron at its own threshold; else the layer's one, others folded into the rows
        List<NirLayer> layers = perNeuron && learnsThreshold ? imported.atOwnThresholds()
                : imported.at(learnsThreshold ? null : config.options().threshold(neuron));
        StateDict dict = new StateDict(source);
        for (String key : template.keys()) {
            dict.put(key, template.get(key));
        }
        for (int i = 0; i < layers.size(); i++) {
            NirLayer l = layers.get(i);
            String fc = Network.parameterPrefix(neuron, i);
            String p = Network.neuronPrefix(neuron, i);
            put(dict, fc + "weight", l.weight());
            put(dict, fc + "bias", l.bias());
            if (l.recurrent()) {
                put(dict, p + "fc_recu.weight", l.recurrentWeight());
                put(dict, p + "fc_recu.bias", l.recurrentBias());
            }
            long[] shape = perNeuron ? new long[] {l.size()} : new long[0];
            if (learnsThreshold && l.kind() != NirLayer.Kind.OUTPUT) {
                float[] theta = new float[perNeuron ? l.size() : 1];
                for (int k = 0; k < theta.length; k++) {
                    theta[k] = (float) l.threshold()[k];
                }
                put(dict, p + "_spk_threshold", Tensor.of(theta, shape));
            }
            if (learnTau) {
                String what = "model file " + source + " layer " + i;
                float[] alpha = perNeuron ? l.alpha() : new float[] {l.alpha()[0]};
                float[] beta = perNeuron ? l.beta() : new float[] {l.beta()[0]};
                put(dict, p + "_alpha", Tensor.of(raw(rawOfDecay, alpha, shape, what + " tau_syn", perNeuron), shape));
                put(dict, p + "_beta", Tensor.of(raw(rawOfDecay, beta, shape, what + " tau_mem", perNeuron), shape));
            } else if (perNeuron) {
                // fixed per-neuron decays: the buffers the network integrates with, exactly the file's
                put(dict, p + "_alpha", Tensor.of(l.alpha().clone(), shape));
                put(dict, p + "_beta", Tensor.of(l.beta().clone(), shape));
            }
        }
        return dict;
    }

    /**
     * The raw values of learnable decays; a float32 sigmoid does not reach every float32 decay
     * (near 0.9 its values are ~1.5 float steps apart), so a file from elsewhere may hold one that no
     * raw value gives: then the line says how to keep the decays exactly.
     */
    private static float[] raw(RawDecay rawOfDecay, float[] decays, long[] shape, String what, boolean perNeuron) {
        try {
            return rawOfDecay.raw(decays, shape, what);
        } catch (SpsnException e) {
            if (!perNeuron) {
                throw e;
            }
            throw SpsnException.data(e.getMessage() + "; without --learn_tau, --per_neuron keeps the file's decays"
                    + " exactly (fixed)", e);
        }
    }

    private static void put(StateDict dict, String key, Tensor tensor) {
        if (!dict.containsKey(key)) {
            throw new IllegalStateException("the network has no key " + key);
        }
        dict.put(key, tensor);
    }

    private static String describe(Imported imported) {
        String kind = imported.hiddenKind() == NirLayer.Kind.LIF ? "a LIF network (CubaLIF)"
                : "a ParaLIF-T network (CubaLI then Threshold)";
        return imported.recurrent() ? "a recurrent " + kind.substring(2) : kind;
    }

    /** The graph as this tool's network, or one line saying what does not fit. */
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
        Walk walk = new Walk(graph, source);
        walk.visited.add(inputName);
        List<ReadLayer> layers = new ArrayList<>();
        String current = inputName;
        long previousSize = inShape[0];
        while (true) {
            String next = walk.next(current);
            if (graph.nodes().get(next) instanceof NirNode.Output out) {
                if (layers.isEmpty() || layers.get(layers.size() - 1).kind() != NirLayer.Kind.OUTPUT) {
                    throw unsupported(source, "node " + current + " (" + graph.nodes().get(current).type()
                            + ") feeds the Output; the last layer must be an Affine then a CubaLI (the non-firing"
                            + " output layer)");
                }
                if (out.shape().length != 1 || out.shape()[0] != previousSize) {
                    throw unsupported(source, "its Output has shape " + Arrays.toString(out.shape()) + " after "
                            + previousSize + " values");
                }
                if (!graph.successors(next).isEmpty()) {
                    throw unsupported(source, "its Output " + next + " feeds other nodes");
                }
                break;
            }
            if (!layers.isEmpty() && layers.get(layers.size() - 1).kind() == NirLayer.Kind.OUTPUT) {
                throw unsupported(source, "a CubaLI (" + layers.get(layers.size() - 1).name() + ") is followed by "
                        + next + " (" + graph.nodes().get(next).type() + "): a CubaLI is the output layer, or is"
                        + " followed by a Threshold");
            }
            ReadLayer layer = walk.layer(next, previousSize);
            layers.add(layer);
            previousSize = layer.size();
            current = walk.last;
        }
        if (walk.visited.size() + 1 != graph.nodes().size()) {
            List<String> unused = new ArrayList<>(graph.nodes().keySet());
            unused.removeAll(walk.visited);
            unused.remove(walk.output);
            throw unsupported(source, "nodes " + String.join(", ", unused) + " are not on the chain from " + inputName);
        }
        if (layers.size() < 2) {
            throw unsupported(source, "it has no hidden layer");
        }
        List<ReadLayer> hidden = layers.subList(0, layers.size() - 1);
        for (ReadLayer l : hidden) {
            if (l.kind() != hidden.get(0).kind() || (l.recurrent() == null) != (hidden.get(0).recurrent() == null)) {
                throw unsupported(source, "its hidden layers " + hidden.get(0).name() + " and " + l.name()
                        + " are of different kinds (CubaLIF, CubaLI then Threshold, recurrent or not); this tool's"
                        + " hidden layers are all of one kind");
            }
            if (l.size() != hidden.get(0).size()) {
                throw unsupported(source, "its hidden layers have " + hidden.get(0).size() + " and " + l.size()
                        + " neurons; this tool's hidden layers are all of one size");
            }
        }
        return new Imported((int) inShape[0], hidden.get(0).size(), hidden.size(), layers.get(layers.size() - 1).size(),
                List.copyOf(layers));
    }

    /** Walks the chain from the Input; the one cycle allowed is a neuron's recurrent map. */
    private static final class Walk {
        private final NirGraph graph;
        private final String source;
        private final Set<String> visited = new HashSet<>();
        private String last;
        private String output;

        Walk(NirGraph graph, String source) {
            this.graph = graph;
            this.source = source;
        }

        /** The one node {@code name} feeds, besides its recurrent map; it must have no other input. */
        String next(String name) {
            List<String> next = new ArrayList<>(graph.successors(name));
            next.removeIf(s -> isLoop(name, s));
            if (next.isEmpty()) {
                throw unsupported(source, "node " + name + " (" + type(name) + ") feeds no node; the chain must end"
                        + " in an Output");
            }
            if (next.size() > 1) {
                throw unsupported(source, "node " + name + " (" + type(name) + ") feeds " + next.size() + " nodes ("
                        + String.join(", ", next) + "); this tool's network is a chain");
            }
            String to = next.get(0);
            if (visited.contains(to)) {
                throw unsupported(source, "it has a cycle through " + to + " that is not a neuron's recurrent map"
                        + " (neuron -> Affine or Linear -> the same neuron)");
            }
            List<String> inputs = new ArrayList<>(graph.predecessors(to));
            inputs.removeIf(s -> isLoop(to, s));
            if (inputs.size() != 1) {
                throw unsupported(source, "node " + to + " (" + type(to) + ") has " + inputs.size() + " inputs ("
                        + String.join(", ", inputs) + "): a merging connection; this tool's network is a chain");
            }
            if (graph.nodes().get(to) instanceof NirNode.Output) {
                output = to;
            } else {
                visited.add(to);
            }
            return to;
        }

        /** Whether {@code loop} is a recurrent map of {@code neuron}: its one input and one output are the neuron. */
        private boolean isLoop(String neuron, String loop) {
            return !loop.equals(neuron) && graph.nodes().get(neuron) instanceof NirNode.CubaLif
                    && graph.nodes().get(loop) instanceof NirNode.Affine
                    && graph.predecessors(loop).equals(List.of(neuron)) && graph.successors(loop).equals(List.of(neuron));
        }

        /** The layer starting at the Affine {@code fcName}, after {@code inputs} values; sets {@link #last}. */
        ReadLayer layer(String fcName, long inputs) {
            if (!(graph.nodes().get(fcName) instanceof NirNode.Affine affine)) {
                throw unsupported(source, "node " + fcName + " (" + type(fcName) + ") stands where an Affine (or"
                        + " Linear) is needed");
            }
            long[] wShape = affine.weight().shape();
            if (wShape.length != 2 || wShape[1] != inputs || affine.bias().numel() != wShape[0]) {
                throw unsupported(source, "node " + fcName + " has weight " + Arrays.toString(wShape) + " and bias "
                        + Arrays.toString(affine.bias().shape()) + " after " + inputs + " values");
            }
            int n = (int) wShape[0];
            String neuronName = next(fcName);
            NirNode node = graph.nodes().get(neuronName);
            if (node instanceof NirNode.CubaLif) {
                NirNode.Affine recurrent = null;
                for (String s : graph.successors(neuronName)) {
                    if (isLoop(neuronName, s)) {
                        if (recurrent != null) {
                            throw unsupported(source, "node " + neuronName + " has two recurrent maps");
                        }
                        recurrent = (NirNode.Affine) graph.nodes().get(s);
                        if (!Arrays.equals(recurrent.weight().shape(), new long[] {n, n})
                                || recurrent.bias().numel() != n) {
                            throw unsupported(source, "the recurrent map " + s + " of " + neuronName + " has weight "
                                    + Arrays.toString(recurrent.weight().shape()) + " for " + n + " neurons");
                        }
                        visited.add(s);
                    }
                }
                last = neuronName;
                return neurons(NirLayer.Kind.LIF, neuronName, affine, recurrent, node, null);
            }
            if (!(node instanceof NirNode.CubaLi)) {
                throw unsupported(source, "node " + neuronName + " (" + type(neuronName) + ") stands where a CubaLIF,"
                        + " or a CubaLI (then a Threshold, or the Output), is needed");
            }
            String after = graph.successors(neuronName).size() == 1 ? graph.successors(neuronName).get(0) : null;
            if (after != null && graph.nodes().get(after) instanceof NirNode.Threshold threshold) {
                next(neuronName);
                if (threshold.size() != n && threshold.size() != 1) {
                    throw unsupported(source, "node " + after + " has " + threshold.size() + " thresholds for " + n
                            + " neurons");
                }
                last = after;
                return neurons(NirLayer.Kind.THRESHOLD, neuronName, affine, null, node, threshold);
            }
            last = neuronName;
            return neurons(NirLayer.Kind.OUTPUT, neuronName, affine, null, node, null);
        }

        private ReadLayer neurons(NirLayer.Kind kind, String name, NirNode.Affine affine, NirNode.Affine recurrent,
                                  NirNode node, NirNode.Threshold threshold) {
            int n = affine.outputs();
            Neuron p = Neuron.of(node, n, name, source);
            double[] thresholds = kind == NirLayer.Kind.THRESHOLD
                    ? Neuron.fit(threshold.threshold(), n, name, "threshold", source) : p.threshold;
            double dt = EulerMapping.DT;
            double[] gain = new double[n];
            float[] alpha = new float[n];
            float[] beta = new float[n];
            for (int k = 0; k < n; k++) {
                double ak = EulerMapping.decay(p.tauSyn[k], dt);
                double bk = EulerMapping.decay(p.tauMem[k], dt);
                if (!(ak > 0 && ak < 1) || !(bk > 0 && bk < 1)) {
                    throw unsupported(source, String.format(Locale.ROOT, "node %s neuron %d has tau_syn %g s and"
                            + " tau_mem %g s; both must exceed the time step %g s (times are in seconds)",
                            name, k, p.tauSyn[k], p.tauMem[k], dt));
                }
                alpha[k] = (float) ak;
                beta[k] = (float) bk;
                if (p.vLeak[k] != 0 || p.vReset[k] != 0) {
                    throw unsupported(source, "node " + name + " neuron " + k + " has v_leak " + p.vLeak[k]
                            + " and v_reset " + p.vReset[k] + "; this tool's neurons rest and reset at 0");
                }
                if (!(thresholds[k] > 0) || !Double.isFinite(thresholds[k])) {
                    throw unsupported(source, "node " + (threshold != null ? last : name) + " neuron " + k
                            + " has threshold " + thresholds[k] + "; it must be a positive number");
                }
                gain[k] = (dt / p.tauSyn[k]) * p.wIn[k] * p.r[k] / thresholds[k];
            }
            return new ReadLayer(kind, name, affine, recurrent, gain, thresholds, alpha, beta);
        }

        private String type(String name) {
            return graph.nodes().get(name).type();
        }
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
        static double[] fit(double[] values, int n, String name, String parameter, String source) {
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

    private static SpsnException unsupported(String source, String why) {
        return SpsnException.data("model file " + source + " is not a NIR graph of this tool's networks: " + why
                + " (supported: Input -> (Affine -> CubaLIF [-> Affine -> the same CubaLIF], or Affine -> CubaLI"
                + " -> Threshold) x nb_layers -> Affine -> CubaLI -> Output; see docs/NIR.md)");
    }
}
