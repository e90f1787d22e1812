package spsn.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import spsn.EngineTest;
import spsn.data.BatchAssembler;
import spsn.data.SparseBatch;
import spsn.data.SpikeSample;
import spsn.data.SyntheticDataset;
import spsn.model.ForwardResult;
import spsn.model.InputPath;
import spsn.model.Network;
import spsn.model.NetworkConfig;
import spsn.model.NeuronOptions;
import spsn.model.NeuronType;
import spsn.neuron.CounterNoise;
import spsn.neuron.spike.Surrogate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one training step (TrainStep): bit for bit the sequence every caller used to assemble
 * (scope, forward, loss with both regularisers, backward with the Java first layer's own
 * gradient, Adamax at the scheduled rate), for every loss mode and neuron kind; the Java first
 * layer's gradient equal to autograd's on the dense batch; no gradient or native tensor left
 * behind; no update from a non-finite loss.
 */
class TrainStepTest extends EngineTest {

    /** Eight synthetic SHD-like samples, binned 8 times coarser (about 140 steps: the LIF layers are sequential). */
    private static final List<SpikeSample> SAMPLES = SyntheticDataset.generate(5, 8, 1).train().samples().stream()
            .map(s -> {
                int[] bins = s.bins().clone();
                for (int i = 0; i < bins.length; i++) {
                    bins[i] /= 8;
                }
                return SpikeSample.of(bins, s.units(), s.label());
            }).toList();
    private static final SparseBatch BATCH = BatchAssembler.assembleSparse(SAMPLES, SyntheticDataset.NB_CHANNELS);

    /** A network to step and how: the objective, whether ParaLIF's StepLR applies, the weight decay. */
    record Case(String name, NeuronType neuron, NeuronOptions options, Objective objective, boolean stepLr,
                double weightDecay) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static NeuronOptions recurrent(boolean relu, boolean learnTau) {
        return new NeuronOptions(true, relu, learnTau, null, Surrogate.DEFAULT);
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("SPSN-SB mean + reg_thr", NeuronType.SPSN_SB, NeuronOptions.DEFAULT,
                        new Objective(LossMode.MEAN, 0.01, 0), false, 0),
                new Case("SPSN-GS last + reg_thr", NeuronType.SPSN_GS, NeuronOptions.DEFAULT,
                        new Objective(LossMode.LAST, 0.01, 0), false, 0),
                new Case("LIF max", NeuronType.LIF, NeuronOptions.DEFAULT,
                        new Objective(LossMode.MAX, 0, 0), false, 0),
                new Case("Non-Spiking last", NeuronType.NON_SPIKING, NeuronOptions.DEFAULT,
                        new Objective(LossMode.LAST, 0, 0), false, 0),
                new Case("ParaLIF-SD recurrent, learn_tau, cumsum + reg_thr + reg_thr_r, StepLR, weight decay",
                        NeuronType.PARALIF_SD, recurrent(false, true), new Objective(LossMode.CUMSUM, 0.01, 0.001),
                        true, 1e-3),
                new Case("ParaLIF-TRB recurrent_relu, mean + reg_thr_r (no recurrent spikes), StepLR",
                        NeuronType.PARALIF_TRB, recurrent(true, false), new Objective(LossMode.MEAN, 0, 0.001), true, 0),
                new Case("LIF-LT recurrent, max + reg_thr_r, StepLR", NeuronType.LIF_LT, recurrent(false, false),
                        new Objective(LossMode.MAX, 0, 0.001), true, 0));
    }

    /** The network of {@code c}, deterministic in its seed (two calls give equal parameters). */
    private static Network network(NDManager parent, Case c) {
        NetworkConfig config = new NetworkConfig(c.neuron(), SyntheticDataset.NB_CHANNELS, 24, 2,
                SyntheticDataset.NB_CLASSES, 0.02, 0.02, c.options());
        return Network.create(parent, config, 17);
    }

    private static Adamax adamax(NDManager parent, Case c) {
        return new Adamax(parent, 1e-2, 0.9, 0.999, 1e-8, c.weightDecay(), Adamax.Kernel.JAVA);
    }

    private static LearningRateSchedule schedule(Case c) {
        return c.stepLr() ? LearningRateSchedule.paraLif(1e-2) : null;
    }

    /** Epoch 0, then epoch 25, where ParaLIF's StepLR has halved the rate. */
    private static final int[] EPOCHS = {0, 25};

    /**
     * What the trainer and the bench each assembled before there was one step, spelled out from
     * the objective's definition: the step must repeat it exactly.
     */
    private static float[] handAssembledStep(Network network, Adamax optimizer, NDManager parent, Case c, int epoch,
                                             long noiseKey, List<Executable> preconditions) {
        if (c.stepLr()) {
            optimizer.setLearningRate(schedule(c).rate(epoch));
        }
        float loss;
        float correct;
        try (NDManager scope = parent.newSubManager()) {
            scope.tempAttachAll(network.parameters().values().toArray(NDArray[]::new));
            NDArray labels = scope.create(BATCH.labels());
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                ForwardResult result = network.forward(scope, BATCH, new CounterNoise(noiseKey));
                NDArray logits = Losses.logits(result, c.objective().mode());
                NDArray total = Losses.crossEntropy(logits, labels);
                float crossEntropy = total.getFloat();
                if (c.objective().regThr() > 0) {
                    total = total.add(Losses.rateRegularizer(result.rates(), c.objective().regThr()));
                }
                float beforeRecurrent = total.getFloat();
                if (c.objective().regThrR() > 0) {
                    long neurons = (long) network.config().nbLayers() * network.config().hiddenSize();
                    total = total.add(Losses.recurrentRateRegularizer(result.recurrentRates(),
                            c.objective().regThrR(), neurons, total));
                }
                result.backward(collector, total);
                loss = total.getFloat();
                correct = logits.argMax(1).eq(labels).sum().getLong();
                float all = loss;
                if (c.objective().regThr() > 0) {
                    preconditions.add(() -> assertTrue(beforeRecurrent > crossEntropy,
                            c + ": the rate regulariser is at work"));
                }
                // (ParaLIF's parallel layers feed spikes back; LIF-LT's are silent on these short samples)
                if (c.objective().regThrR() > 0 && !c.options().recurrentRelu()
                        && c.neuron().dynamics() == NeuronType.Dynamics.PARALLEL) {
                    preconditions.add(() -> assertTrue(all > beforeRecurrent,
                            c + ": the recurrent rate regulariser is at work"));
                }
            }
        }
        optimizer.step(network.parameters());
        return new float[] {loss, correct};
    }

    @ParameterizedTest
    @MethodSource("cases")
    void theStepIsTheSequenceItReplacedBitForBit(Case c) {
        try (NDManager parent = manager.newSubManager();
             Network mine = network(parent, c);
             Network theirs = network(parent, c);
             Adamax mineOptimizer = adamax(parent, c);
             Adamax theirOptimizer = adamax(parent, c)) {
            TrainStep step = new TrainStep(mine, mineOptimizer, parent, c.objective(), schedule(c));
            List<Executable> checks = new ArrayList<>();
            for (int epoch : EPOCHS) {
                long key = 1000 + epoch;
                float[] expected = handAssembledStep(theirs, theirOptimizer, parent, c, epoch, key, checks);
                TrainStep.Update update = step.train(BATCH, new CounterNoise(key), epoch);
                String at = c + ", epoch " + epoch;
                checks.add(() -> assertEquals(Float.floatToIntBits(expected[0]), Float.floatToIntBits(update.loss()),
                        at + ": loss " + expected[0] + " vs " + update.loss()));
                checks.add(() -> assertEquals((int) expected[1], update.correct(), at + ": correct"));
                checks.add(() -> assertEquals(schedule(c) == null ? 1e-2 : schedule(c).rate(epoch),
                        step.learningRate(epoch), 1e-9, at + ": learning rate"));
                assertParametersIdentical(theirs, mine, at, checks);
            }
            checks.add(() -> assertEquals(EPOCHS.length, mineOptimizer.steps(), "optimizer steps"));
            checks.add(() -> assertTrue(Float.isFinite(step.train(BATCH, new CounterNoise(1), 1).loss())));
            assertAll(c.toString(), checks);
        }
    }

    /** Parameters and both Adamax moments (the first is 0.1 × the gradient after one step) equal to the bit. */
    private static void assertParametersIdentical(Network expected, Network actual, String at,
                                                  List<Executable> checks) {
        for (Map.Entry<String, NDArray> e : expected.parameters().entrySet()) {
            float[] want = e.getValue().toFloatArray();
            float[] got = actual.parameters().get(e.getKey()).toFloatArray();
            checks.add(() -> assertArrayEquals(want, got, 0f, at + ": parameter " + e.getKey()));
        }
    }

    /**
     * The Java first layer's gradient, formed after autograd's backward, is the one autograd gives
     * on the dense batch; without it the first layer would not learn (its gradient would be zero).
     */
    @ParameterizedTest
    @MethodSource("cases")
    void theJavaFirstLayersGradientIsAutogradsOnTheDenseBatch(Case c) {
        try (NDManager parent = manager.newSubManager();
             Network network = network(parent, c);
             Adamax optimizer = adamax(parent, c)) {
            TrainStep step = new TrainStep(network, optimizer, parent, c.objective(), schedule(c));
            Map<String, float[]> dense = gradients(step, InputPath.DENSE);
            Map<String, float[]> java = gradients(step, InputPath.JAVA);
            Map<String, float[]> engine = gradients(step, InputPath.ENGINE_SPARSE);
            String first = network.parameters().keySet().iterator().next();
            List<Executable> checks = new ArrayList<>();
            checks.add(() -> assertTrue(maxAbs(dense.get(first)) > 0, c + ": the first layer has a gradient"));
            for (String name : dense.keySet()) {
                checks.add(() -> assertClose(dense.get(name), java.get(name), c + ": Java path, grad " + name));
                checks.add(() -> assertClose(dense.get(name), engine.get(name), c + ": engine path, grad " + name));
            }
            assertAll(c.toString(), checks);
        }
    }

    private static Map<String, float[]> gradients(TrainStep step, InputPath path) {
        return step.gradients(BATCH, new CounterNoise(3), path, computed -> {
            Map<String, float[]> all = new LinkedHashMap<>();
            step.network().parameters().forEach((name, p) -> all.put(name, p.getGradient().toFloatArray()));
            return all;
        });
    }

    private static double maxAbs(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /** Equal up to float32 rounding of differently ordered sums: 1e-4 of the array's scale. */
    private static void assertClose(float[] expected, float[] actual, String what) {
        double tolerance = 1e-4 * Math.max(maxAbs(expected), 1e-12);
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > tolerance) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
            }
        }
    }

    /**
     * The step without its update changes no parameter and leaves no gradient behind: a training
     * step after it is the same as one on a fresh network.
     */
    @Test
    void gradientsAloneLeaveTheNextStepAsItWouldBe() {
        Case c = cases().toList().get(0);
        try (NDManager parent = manager.newSubManager();
             Network inspected = network(parent, c);
             Network fresh = network(parent, c);
             Adamax inspectedOptimizer = adamax(parent, c);
             Adamax freshOptimizer = adamax(parent, c)) {
            TrainStep inspectedStep = new TrainStep(inspected, inspectedOptimizer, parent, c.objective(), null);
            TrainStep freshStep = new TrainStep(fresh, freshOptimizer, parent, c.objective(), null);
            float loss = inspectedStep.gradients(BATCH, new CounterNoise(9), InputPath.JAVA,
                    computed -> computed.loss().getFloat());
            List<Executable> checks = new ArrayList<>();
            assertParametersIdentical(fresh, inspected, "after gradients alone", checks);
            TrainStep.Update a = inspectedStep.train(BATCH, new CounterNoise(9), 0);
            TrainStep.Update b = freshStep.train(BATCH, new CounterNoise(9), 0);
            checks.add(() -> assertEquals(b.loss(), loss, 0f, "the same loss as the training step's"));
            checks.add(() -> assertEquals(b.loss(), a.loss(), 0f, "loss"));
            assertParametersIdentical(fresh, inspected, "after the next training step", checks);
            assertAll(checks);
        }
    }

    /** A NaN loss makes no update: the parameters and the optimizer stay where they were. */
    @Test
    void aNonFiniteLossMakesNoUpdate() {
        Case c = cases().toList().get(0);
        try (NDManager parent = manager.newSubManager();
             Network network = network(parent, c);
             Adamax optimizer = adamax(parent, c)) {
            NDArray outputBias = network.parameters().entrySet().stream().filter(e -> e.getKey().endsWith("bias"))
                    .reduce((a, b) -> b).orElseThrow().getValue();
            float[] poisoned = new float[(int) outputBias.size()];
            Arrays.fill(poisoned, Float.NaN);
            outputBias.set(poisoned);
            Map<String, float[]> before = new LinkedHashMap<>();
            network.parameters().forEach((name, p) -> before.put(name, p.toFloatArray()));
            TrainStep.Update update = new TrainStep(network, optimizer, parent, c.objective(), null)
                    .train(BATCH, new CounterNoise(1), 0);
            assertTrue(Float.isNaN(update.loss()), "the loss is NaN: " + update.loss());
            assertEquals(0, optimizer.steps(), "no optimizer step");
            network.parameters().forEach((name, p) -> assertArrayEquals(before.get(name), p.toFloatArray(), 0f,
                    "parameter " + name + " unchanged"));
        }
    }

    /**
     * Every batch's tensors are freed with its scope: after a first round of steps (which creates
     * the optimizer's state, and the engine integration's cached matrices on the dense path: the
     * fast path integrates in Java), more training, gradient and evaluation steps leave the
     * number of native tensors the managers hold where it was.
     */
    @ParameterizedTest
    @MethodSource("cases")
    void stepsLeaveNoTensorBehind(Case c) {
        try (NDManager parent = manager.newSubManager();
             Network network = network(parent, c);
             Adamax optimizer = adamax(parent, c)) {
            TrainStep step = new TrainStep(network, optimizer, parent, c.objective(), schedule(c));
            step.train(BATCH, new CounterNoise(0), 0);
            step.gradients(BATCH, new CounterNoise(0), InputPath.DENSE, computed -> null);
            step.gradients(BATCH, new CounterNoise(0), InputPath.JAVA, computed -> null);
            step.evaluate(BATCH, new CounterNoise(0));
            int held = parent.getManagedArrays().size();
            for (int i = 1; i <= 3; i++) {
                step.train(BATCH, new CounterNoise(i), i);
                step.gradients(BATCH, new CounterNoise(i), InputPath.DENSE, computed -> null);
                step.gradients(BATCH, new CounterNoise(i), InputPath.JAVA, computed -> null);
                step.evaluate(BATCH, new CounterNoise(i));
            }
            assertEquals(held, parent.getManagedArrays().size(), c + ": tensors held after 3 more rounds of steps");
            assertTrue(held >= network.state().size(), "the count includes the network's own tensors");
        }
    }

    /** Evaluation: the cross-entropy alone, the predictions and spike counts of the pass, no update. */
    @ParameterizedTest
    @MethodSource("cases")
    void evaluationIsTheForwardPassAlone(Case c) {
        try (NDManager parent = manager.newSubManager();
             Network network = network(parent, c);
             Adamax optimizer = adamax(parent, c)) {
            TrainStep step = new TrainStep(network, optimizer, parent, c.objective(), schedule(c));
            float[] firstBefore = network.parameters().values().iterator().next().toFloatArray();
            TrainStep.Evaluation evaluation = step.evaluate(BATCH, new CounterNoise(4));
            float crossEntropy;
            long[] predicted;
            double[] spikes;
            double[] engineSpikes;
            double[] engineRecurrent;
            try (NDManager scope = parent.newSubManager()) {
                scope.tempAttachAll(network.parameters().values().toArray(NDArray[]::new));
                ForwardResult result = network.forward(scope, BATCH, new CounterNoise(4));
                NDArray logits = Losses.logits(result, c.objective().mode());
                crossEntropy = Losses.crossEntropy(logits, scope.create(BATCH.labels())).getFloat();
                predicted = logits.argMax(1).toLongArray();
                spikes = result.layerSpikes();
                // the Java spike steps' tallies against the engine's mean of the spikes
                engineSpikes = result.rates().stream().mapToDouble(r -> r.sum().getFloat()).toArray();
                engineRecurrent = result.recurrentRates().stream().mapToDouble(r -> r.sum().getFloat()).toArray();
            }
            assertEquals(crossEntropy, evaluation.crossEntropy(), 0f, "cross-entropy");
            assertArrayEquals(predicted, evaluation.predictions(), "predictions");
            assertArrayEquals(spikes, evaluation.spikes(), 0, "spikes per layer");
            for (int layer = 0; layer < spikes.length; layer++) {
                assertEquals(engineSpikes[layer], spikes[layer], 1e-6 * Math.max(1, engineSpikes[layer]),
                        "layer " + layer + ": the spike count against the engine's mean of the spikes");
            }
            for (int layer = 0; layer < engineRecurrent.length; layer++) {
                assertEquals(engineRecurrent[layer], evaluation.recurrentSpikes()[layer],
                        1e-6 * Math.max(1, engineRecurrent[layer]), "layer " + layer + ": the recurrent state's count");
            }
            boolean paraLif = c.neuron().name().startsWith("PARALIF");
            assertEquals(paraLif ? network.config().nbLayers() : 0, evaluation.recurrentSpikes().length,
                    "recurrent spike sums (ParaLIF's layers only)");
            assertEquals(0, optimizer.steps(), "no update");
            assertArrayEquals(firstBefore, network.parameters().values().iterator().next().toFloatArray(), 0f);
        }
    }
}
