package spsn.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import spsn.SpsnException;
import spsn.cli.TrainingFlags;
import spsn.model.NetworkConfig;
import spsn.model.NeuronOptions;
import spsn.model.NeuronType;

/** The warm-up while the data loads: the run's numbers stay the same, the load's result and failure pass through. */
class TrainingWarmupTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a results file holds that depends on the machine's speed, not on the computation. */
    private static final List<String> DURATIONS = List.of("train_duration", "epoch_durations", "test_duration");

    @TempDir
    Path tmp;

    private static RunSettings settings(String neuron, Path outputDir) {
        return TrainingFlags.check(List.of("--dataset", "synthetic", "--neuron", neuron, "--nb_epochs", "2",
                "--batch_size", "8", "--hidden_size", "16", "--synthetic_train", "16", "--synthetic_test", "8",
                "--data_augmentation", "True", "--seed", "3", "--device", "cpu", "--progress", "False",
                "--output_dir", outputDir.toString()));
    }

    private static JsonNode withoutDurations(Path results) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(results.toFile());
        DURATIONS.forEach(root::remove);
        return root;
    }

    /**
     * Everything a results file says about the computation (losses, accuracies, spike counts,
     * predictions, confusion, PARAMS) is the same with and without the warm-up: it trains a network
     * of its own and draws from no generator the run uses.
     */
    @ParameterizedTest
    @ValueSource(strings = {"SPSN-SB", "SPSN-GS", "Non-Spiking", "LIF", "ParaLIF-SD"})
    void aWarmedUpRunHasTheResultsOfAColdOne(String neuron) throws IOException {
        Path cold = new TrainingRun(settings(neuron, tmp.resolve("cold")), new PrintWriter(new StringWriter()), "test")
                .withoutWarmup().run();
        Path warm = new TrainingRun(settings(neuron, tmp.resolve("warm")), new PrintWriter(new StringWriter()), "test")
                .run();
        assertNotEquals(cold, warm);
        JsonNode coldResults = withoutDurations(cold);
        JsonNode warmResults = withoutDurations(warm);
        assertEquals(fieldNames(coldResults), fieldNames(warmResults), neuron + ": the results' keys");
        coldResults.fieldNames().forEachRemaining(key -> assertEquals(coldResults.get(key), warmResults.get(key),
                neuron + ": " + key + " without and with the warm-up"));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static TrainingWarmup warmup(String device) {
        NetworkConfig config = new NetworkConfig(NeuronType.fromCliName("SPSN-SB"), 700, 16, 2, 20, 0.02, 0.02,
                NeuronOptions.DEFAULT);
        return new TrainingWarmup(config, 8, device, Objective.crossEntropy(LossMode.MEAN));
    }

    @Test
    void theWarmupTakesItsStepsAndLeavesNoGradientRecordingOpen() {
        assertEquals(TrainingWarmup.TRAIN_STEPS + 1, warmup("cpu").run(() -> false));
        // a collector left open by the warm-up would make the run's first training step fail
        assertDoesNotThrow(() -> Engine.getInstance().newGradientCollector().close(),
                "a gradient collector opens after the warm-up");
    }

    @Test
    void aStopBeforeTheFirstStepTakesNone() {
        assertEquals(0, warmup("cpu").run(() -> true));
    }

    @Test
    void aWarmupThatFailsIsDroppedQuietly() {
        // no GPU here: the run itself reports --device gpu after loading, with its own message
        assumeTrue(Engine.getInstance().getGpuCount() == 0, "needs a machine without a GPU");
        assertEquals(0, warmup("gpu").run(() -> false));
    }

    @Test
    void whileLoadingGivesTheLoadedValue() {
        Object loaded = new Object();
        assertSame(loaded, warmup("cpu").whileLoading(() -> loaded));
    }

    @Test
    void aFailedLoadIsThrownAsItWas() {
        SpsnException failure = SpsnException.data("data/shd_train.h5: not an HDF5 file");
        SpsnException thrown = assertThrows(SpsnException.class, () -> warmup("cpu").whileLoading(() -> {
            throw failure;
        }));
        assertSame(failure, thrown);
    }
}
