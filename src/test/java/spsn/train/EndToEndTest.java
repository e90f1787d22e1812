package spsn.train;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static spsn.train.E2eSupport.assertCompleteResults;
import static spsn.train.E2eSupport.assertEpochLines;
import static spsn.train.E2eSupport.existingDir;
import static spsn.train.E2eSupport.json;
import static spsn.train.E2eSupport.numbers;
import static spsn.train.E2eSupport.onlyResultsFile;
import static spsn.train.E2eSupport.train;
import static spsn.train.E2eSupport.with;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import spsn.train.E2eSupport.Run;

/**
 * The training command end to end, as a user runs it: every neuron learns the synthetic task
 * (seeded CPU runs repeat exactly, so the accuracies are fixed numbers, not flaky), and every run
 * writes the original's results file.
 */
class EndToEndTest {

    /**
     * Three times chance (1/20). Measured with seed 0 on 100 test samples: LIF 0.28,
     * SPSN-SB 0.42, SPSN-GS 0.44, Non-Spiking 0.41 (see learningRuns).
     */
    private static final double LEARNED = 0.15;

    /** A few seconds per run: 2 epochs of 20 samples, 16 neurons per layer. */
    private static final List<String> SMALL = List.of("--seed", "0", "--synthetic_train", "20",
            "--synthetic_test", "20", "--hidden_size", "16", "--batch_size", "10", "--nb_epochs", "2");

    /**
     * The smallest settings (about 20 s each on 2 cores) with which each neuron clearly learns
     * in a handful of updates. LIF needs longer time constants: with the default 20 ms its deeper
     * layers stay silent on these sparse inputs for hundreds of updates, so nothing reaches the
     * output; 256 neurons let each Adamax step (lr 1e-3) move the outputs further.
     */
    static Stream<Arguments> learningRuns() {
        return Stream.of(
                arguments("LIF", List.of("--synthetic_train", "200", "--synthetic_test", "100", "--hidden_size", "256",
                        "--batch_size", "16", "--nb_epochs", "2", "--tau_syn", "0.2", "--tau_mem", "0.05")),
                arguments("SPSN-SB", List.of("--synthetic_train", "160", "--synthetic_test", "100", "--hidden_size",
                        "128", "--batch_size", "8", "--nb_epochs", "8")),
                arguments("SPSN-GS", List.of("--synthetic_train", "160", "--synthetic_test", "100", "--hidden_size",
                        "128", "--batch_size", "8", "--nb_epochs", "6")),
                arguments("Non-Spiking", List.of("--synthetic_train", "160", "--synthetic_test", "100",
                        "--hidden_size", "128", "--batch_size", "4", "--nb_epochs", "20")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("learningRuns")
    void aSeededRunLearnsAndWritesTheOriginalResultsFile(String neuron, List<String> settings, @TempDir Path dir)
            throws IOException {
        Run run = train(dir, with(settings, "--seed", "0", "--neuron", neuron)).assertOk();
        JsonNode results = json(onlyResultsFile(dir, neuron, run));
        assertCompleteResults(results, run.args());
        List<Double> loss = numbers(results.get("loss_hist"));
        assertEpochLines(run, loss.size());

        double accuracy = results.get("test_accuracies").doubleValue();
        System.out.printf("%s: test accuracy %.4f, loss %s, train accuracies %s, %.1f s per epoch%n", neuron, accuracy,
                loss, results.get("train_accuracies"), results.get("train_duration").doubleValue());
        assertTrue(loss.get(loss.size() - 1) < loss.get(0), neuron + ": the loss decreases over training: " + loss);
        assertTrue(accuracy >= LEARNED, neuron + ": test accuracy " + accuracy + " >= " + LEARNED
                + " (chance 0.05); stdout:\n" + run.out());
    }

    @Test
    void anAugmentedRunCompletesAndRecordsItsAugmentation(@TempDir Path dir) throws IOException {
        Run run = train(dir, with(SMALL, "--neuron", "SPSN-SB", "--data_augmentation", "True", "--h_shift", "0.2",
                "--scale", "0.25")).assertOk();
        assertCompleteResults(json(onlyResultsFile(dir, "SPSN-SB", run)), run.args());
    }

    /** As the paper's scripts/regul.sh runs it: the results go to the --dir sub-folder. */
    @Test
    void aRegularisedRunCompletesInItsSubFolder(@TempDir Path dir) throws IOException {
        Run run = train(dir, with(SMALL, "--neuron", "SPSN-SB", "--reg_thr", "0.4", "--dir", "regul/")).assertOk();
        assertCompleteResults(json(onlyResultsFile(existingDir(dir.resolve("regul")), "SPSN-SB", run)), run.args());
    }

    @ParameterizedTest
    @ValueSource(strings = {"last", "max"})
    void everyLossModeCompletes(String mode, @TempDir Path dir) throws IOException {
        Run run = train(dir, with(SMALL, "--neuron", "SPSN-SB", "--loss_mode", mode)).assertOk();
        assertCompleteResults(json(onlyResultsFile(dir, "SPSN-SB", run)), run.args());
    }
}
