package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalogue of bad inputs (README, "Errors and exit codes"): each gives exit code 1 (data
 * or I/O) or 2 (usage) and one line on stderr that names the file or flag and the problem, with
 * no stack trace. The data files come from src/test/resources/shd (spsn.data's fixtures) and
 * src/test/resources/cli; each is tried as the training split beside a good test split.
 */
class BadInputTest {

    @TempDir
    Path tmp;

    /** Runs a training command on {@code trainFile} (a fixture) as shd_train.h5 and a good shd_test.h5. */
    private Cli.Result trainOn(String trainFixture) throws IOException {
        return trainOn(trainFixture, "shd/good_f16.h5");
    }

    private Cli.Result trainOn(String trainFixture, String testFixture) throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        if (trainFixture != null) {
            Files.copy(Cli.resource(trainFixture), data.resolve("shd_train.h5"));
        }
        Files.copy(Cli.resource(testFixture), data.resolve("shd_test.h5"));
        return Cli.run("--data_dir", data.toString(), "--output_dir", tmp.resolve("out").toString(),
                "--hidden_size", "16", "--nb_epochs", "1", "--progress", "False");
    }

    private String train() {
        return tmp.resolve("data").resolve("shd_train.h5").toString();
    }

    // ---- data: exit code 1 -----------------------------------------------------------------

    @Test
    void missingFile() throws IOException {
        trainOn(null).assertError(1, train(), "not found", "download", "--dataset synthetic");
    }

    @Test
    void fileThatIsNotHdf5() throws IOException {
        trainOn("shd/not_hdf5.h5").assertError(1, train(), "cannot read it as HDF5", "download it again");
    }

    @Test
    void truncatedHdf5() throws IOException {
        trainOn("shd/truncated.h5").assertError(1, train(), "cannot read it as HDF5", "truncated");
    }

    @Test
    void missingSpikeTimes() throws IOException {
        trainOn("cli/bad_missing_times.h5").assertError(1, train(), "/spikes/times is missing");
    }

    @Test
    void missingSpikeUnits() throws IOException {
        trainOn("cli/bad_missing_units.h5").assertError(1, train(), "/spikes/units is missing");
    }

    @Test
    void missingLabels() throws IOException {
        trainOn("shd/bad_missing_labels.h5").assertError(1, train(), "/labels is missing");
    }

    @Test
    void timesAndUnitsOfDifferentLengths() throws IOException {
        trainOn("shd/bad_sample_lengths.h5").assertError(1, train(), "sample 1", "5 times but 4 units");
    }

    @Test
    void datasetsWithDifferentSampleCounts() throws IOException {
        trainOn("shd/bad_entry_counts.h5").assertError(1, train(), "2 in /labels", "must match");
    }

    @Test
    void unitOutsideTheChannels() throws IOException {
        trainOn("shd/bad_unit700.h5").assertError(1, train(), "sample 2", "unit 700", "0..699");
    }

    @Test
    void negativeTime() throws IOException {
        trainOn("shd/bad_negative_time.h5").assertError(1, train(), "sample 1", "time -0.5", ">= 0");
    }

    @Test
    void nanTime() throws IOException {
        trainOn("shd/bad_nan_time.h5").assertError(1, train(), "sample 3", "time NaN", "finite");
    }

    @Test
    void infiniteTime() throws IOException {
        trainOn("shd/bad_inf_time.h5").assertError(1, train(), "sample 0", "time Infinity", "finite");
    }

    @Test
    void timeNotInSeconds() throws IOException {
        trainOn("shd/bad_huge_time.h5").assertError(1, train(), "sample 1", "time 500.0", "in seconds");
    }

    /** float16 times of 65.5625 s and more: numpy's float16 quotient t/1e-3 is inf. */
    @Test
    void float16TimeWhoseQuotientOverflows() throws IOException {
        trainOn("shd/bad_f16_overflow_time.h5").assertError(1, train(), "sample 1", "time 70.0 s (spike 1)",
                "overflows float16", "below 65.5 s");
    }

    @Test
    void labelOutOfRange() throws IOException {
        trainOn("shd/bad_label.h5").assertError(1, train(), "sample 2", "label 20", "0..19");
    }

    @Test
    void emptySample() throws IOException {
        trainOn("shd/bad_empty_sample.h5").assertError(1, train(), "sample 2", "has no spikes");
    }

    @Test
    void emptyDataset() throws IOException {
        trainOn("shd/bad_no_samples.h5").assertError(1, train(), "contains no samples");
    }

    /**
     * Train and test from different datasets. The SHD layout fixes 700 channels (a unit beyond is
     * an error of its own, above), so splits can only disagree on their classes.
     */
    @Test
    void trainAndTestFromDifferentDatasets() throws IOException {
        trainOn("shd/good_f32.h5", "shd/good_f16.h5")
                .assertError(1, "shd_test.h5", "its class names differ from those of " + train(), "other names",
                        "train [0, 1, 2, 3, 4]", "same dataset");
    }

    @Test
    void outputFolderNotWritable() throws IOException {
        // A folder under a regular file can never be created, even by root (whom chmod does not stop).
        Path blocker = Files.writeString(tmp.resolve("somefile"), "x");
        Path out = blocker.resolve("x");
        Cli.small("--nb_epochs", "1", "--output_dir", out.toString())
                .assertError(1, "output folder " + out, "not writable", "--output_dir");
        assertFalse(Files.exists(out));
    }

    // ---- flags: exit code 2 ----------------------------------------------------------------

    static Stream<Arguments> invalidFlags() {
        return Stream.of(
                bad("--dataset", "mnist"),
                bad("--neuron", "Izhikevich"),
                bad("--nb_epochs", "-1"),
                bad("--nb_epochs", "0"),
                bad("--nb_epochs", "ten"),
                bad("--tau_mem", "0"),
                bad("--tau_mem", "Infinity"),
                bad("--tau_syn", "NaN"),
                bad("--batch_size", "0"),
                bad("--hidden_size", "-3"),
                bad("--nb_layers", "0"),
                bad("--reg_thr", "-0.1"),
                bad("--loss_mode", "median"),
                bad("--data_augmentation", "yes"),
                bad("--h_shift", "1.0"),
                bad("--scale", "-0.5"),
                bad("--dir", "/abs/"),
                bad("--dir", "../up/"),
                bad("--save_model", "1"),
                bad("--device", "tpu"),
                bad("--synthetic_train", "0"),
                bad("--synthetic_test", "0"),
                bad("--test_every", "-1"),
                bad("--progress", "maybe"),
                bad("--checkpoint_every", "-2"),
                bad("--seed", "abc"),
                bad("--no_such_flag", "1"));
    }

    private static Arguments bad(String flag, String value) {
        return Arguments.of(flag, value);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("invalidFlags")
    void invalidFlagValue(String flag, String value) {
        List<String> args = new ArrayList<>(Arrays.asList("--dataset", "synthetic", "--progress", "False",
                "--output_dir", tmp.resolve("out").toString()));
        if (args.contains(flag)) {
            args.remove(args.indexOf(flag) + 1);
            args.remove(flag);
        }
        args.add(flag);
        args.add(value);
        Cli.run(args.toArray(String[]::new)).assertError(2, flag);
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written for a usage error");
    }
}
