package spsn.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import spsn.EngineTest;
import spsn.data.BatchAssembler;
import spsn.data.BatchOrder;
import spsn.data.SparseBatch;
import spsn.data.SpikeDataset;
import spsn.data.SpikeSample;
import spsn.data.SyntheticDataset;
import spsn.model.Network;
import spsn.model.NetworkConfig;
import spsn.model.NeuronOptions;
import spsn.model.NeuronType;
import spsn.neuron.CounterNoise;
import spsn.neuron.spike.Surrogate;
import spsn.progress.ProgressDisplay;
import spsn.train.Adamax;
import spsn.train.EpochProgress;
import spsn.train.LossMode;
import spsn.train.Seeds;
import spsn.train.TestResult;
import spsn.train.TrainStep;
import spsn.train.Trainer;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bench times the trainer's own step: on the same batch and noise, the bench's step and a
 * training epoch of one batch leave the same loss, parameters and Adamax moments, bit for bit,
 * and the bench's evaluation is the test pass's; its fast=plain column says yes where the fast
 * first layers give the dense path's output and gradients.
 */
class BenchStepTest extends EngineTest {

    private static final ProgressDisplay QUIET = ProgressDisplay.lines(new PrintWriter(Writer.nullWriter()));
    private static final int CHANNELS = SyntheticDataset.NB_CHANNELS;

    /** Eight synthetic samples binned 8 times coarser (the LIF layers are sequential). */
    private static final SpikeDataset DATA = coarser(SyntheticDataset.generate(8, 8, 1).train());

    private static SpikeDataset coarser(SpikeDataset set) {
        List<SpikeSample> samples = set.samples().stream().map(s -> {
            int[] bins = s.bins().clone();
            for (int i = 0; i < bins.length; i++) {
                bins[i] /= 8;
            }
            return SpikeSample.of(bins, s.units(), s.label());
        }).toList();
        return new SpikeDataset(set.name(), samples, set.nbChannels(), set.classNames());
    }

    private static Network network(NDManager parent, NeuronType neuron, NeuronOptions options) {
        return Network.create(parent, new NetworkConfig(neuron, CHANNELS, 24, 2, DATA.nbClasses(), 0.02, 0.02,
                options), 4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SPSN-SB", "Non-Spiking", "ParaLIF-GS"})
    void theBenchsStepIsTheTrainersStep(String name) {
        NeuronType neuron = NeuronType.fromCliName(name);
        long seed = 33;
        BatchOrder order = new BatchOrder(DATA.size(), DATA.size(), true, 21);
        try (NDManager parent = manager.newSubManager();
             Network trained = network(parent, neuron, NeuronOptions.DEFAULT);
             Network benched = network(parent, neuron, NeuronOptions.DEFAULT);
             Adamax trainerOptimizer = Adamax.withDefaults(parent);
             Adamax benchOptimizer = Adamax.withDefaults(parent)) {
            // the trainer as the bench's full epoch builds it: mean loss, no regulariser
            Trainer trainer = new Trainer(trained, trainerOptimizer, parent, LossMode.MEAN, 0);
            EpochProgress epoch = trainer.trainEpoch(DATA, order, 0, null, seed, QUIET, "train",
                    EpochProgress.START, () -> false);

            List<SpikeSample> shuffled = new ArrayList<>();
            for (int i : order.batches(0).get(0)) {
                shuffled.add(DATA.get(i));
            }
            SparseBatch batch = BatchAssembler.assembleSparse(shuffled, CHANNELS);
            TrainStep benchStep = BenchCommand.trainStep(benched, benchOptimizer, parent);
            TrainStep.Update update = benchStep.train(batch, new CounterNoise(Seeds.derive(seed, Seeds.NOISE, 0)), 0);

            List<Executable> checks = new ArrayList<>();
            checks.add(() -> assertEquals(Double.doubleToLongBits(update.loss()), Double.doubleToLongBits(epoch.lossSum()),
                    "loss: bench " + update.loss() + ", trainer " + epoch.lossSum()));
            checks.add(() -> assertEquals(update.correct(), epoch.correct(), "correct"));
            checks.add(() -> assertEquals(Arrays.stream(update.spikes()).boxed().toList(), epoch.spikeSums(), "spikes"));
            checks.add(() -> assertEquals(1, trainerOptimizer.steps()));
            checks.add(() -> assertEquals(1, benchOptimizer.steps()));
            for (String key : trained.parameters().keySet()) {
                float[] byTrainer = trained.parameters().get(key).toFloatArray();
                float[] byBench = benched.parameters().get(key).toFloatArray();
                checks.add(() -> assertArrayEquals(byTrainer, byBench, 0f, "parameter " + key));
                NDArray[] trainerMoments = trainerOptimizer.state(key);
                NDArray[] benchMoments = benchOptimizer.state(key);
                for (int m = 0; m < 2; m++) {
                    float[] t = trainerMoments[m].toFloatArray();
                    float[] b = benchMoments[m].toFloatArray();
                    String what = (m == 0 ? "first moment (0.1 x gradient) of " : "infinity norm of ") + key;
                    checks.add(() -> assertArrayEquals(t, b, 0f, what));
                }
            }

            // testing: the file-order pass of the trainer is the bench's evaluation of that batch
            TestResult test = trainer.test(DATA, DATA.size(), seed, QUIET, false);
            TrainStep.Evaluation evaluation = BenchCommand.trainStep(benched, benchOptimizer, parent).evaluate(
                    BatchAssembler.assembleSparse(DATA.samples(), CHANNELS),
                    new CounterNoise(Seeds.derive(seed, Seeds.TEST_NOISE, 0)));
            int[] predicted = Arrays.stream(evaluation.predictions()).mapToInt(p -> (int) p).toArray();
            checks.add(() -> assertArrayEquals(test.predictions(), predicted, "test predictions"));
            checks.add(() -> assertEquals(test.loss(), evaluation.crossEntropy(), 0, "test loss"));
            assertAll(name, checks);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SPSN-SB", "SPSN-GS", "Non-Spiking", "LIF", "ParaLIF-SD", "ParaLIF-GS"})
    void fastPathsMatchThePlainOne(String name) {
        NeuronType neuron = NeuronType.fromCliName(name);
        // recurrent for ParaLIF's, as `bench --recurrent` measures them
        NeuronOptions options = name.startsWith("ParaLIF")
                ? new NeuronOptions(true, false, false, null, Surrogate.DEFAULT) : NeuronOptions.DEFAULT;
        try (NDManager parent = manager.newSubManager();
             Network network = network(parent, neuron, options);
             Adamax optimizer = Adamax.withDefaults(parent)) {
            TrainStep step = BenchCommand.trainStep(network, optimizer, parent);
            SparseBatch batch = BatchAssembler.assembleSparse(DATA.samples(), CHANNELS);
            float[] firstWeights = network.parameters().values().iterator().next().toFloatArray();
            assertTrue(FastPathCheck.run(step, batch, Device.cpu()).startsWith("yes"), name);
            assertEquals(0, optimizer.steps(), "the check makes no update");
            assertArrayEquals(firstWeights, network.parameters().values().iterator().next().toFloatArray(), 0f);
        }
    }
}
