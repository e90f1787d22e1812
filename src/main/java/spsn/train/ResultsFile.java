package spsn.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import spsn.SpsnException;
import spsn.io.AtomicFiles;
import spsn.model.NeuronFamily;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results JSON: the original's keys with their meanings (loss_hist, train_accuracies,
 * train_duration, test_accuracies, nb_spikes, test_duration, PARAMS), then this port's additions.
 */
public final class ResultsFile {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsFile() {
    }

    /**
     * Everything a results file holds, in the order it is written. {@code seed} is the seed the
     * run used: {@code --seed}, or the one drawn for an unseeded run (PARAMS keeps the flag as
     * given, null then, as the original's PARAMS), so that {@code --seed <seed>} repeats any run.
     */
    public static Map<String, Object> content(RunSettings s, RunInfo info, long seed, RunHistory history,
                                              TestResult test, boolean partial) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("loss_hist", history.lossHist);
        root.put("train_accuracies", history.trainAccuracies);
        root.put("train_duration", history.secondsPerEpoch());
        // ParaLIF's run.py writes a list of test accuracies and nb_spikes as [feed-forward, recurrent]
        boolean paraLif = s.network().neuron().family() == NeuronFamily.PARALIF;
        Object accuracy = test == null ? null : test.accuracy();
        root.put("test_accuracies", paraLif && test != null ? List.of(accuracy) : accuracy);
        root.put("nb_spikes", test == null ? List.of()
                : paraLif ? List.of(test.nbSpikes(), test.recurrentSpikes()) : test.nbSpikes());
        root.put("test_duration", test == null ? null : test.seconds());
        root.put("PARAMS", params(s, info));
        root.put("epoch_durations", history.epochDurations);
        root.put("seed", seed);
        root.put("tool_version", info.toolVersion());
        root.put("device", info.device());
        root.put("class_names", info.classNames());
        if (test != null) {
            List<long[]> rows = new ArrayList<>(List.of(test.confusion()));
            root.put("test_confusion", rows);
            root.put("test_predictions", test.predictions());
        }
        root.put("test_every_epochs", history.testEveryEpochs);
        root.put("test_accuracy_hist", history.testAccuracyHist);
        if (!history.validAccuracies.isEmpty()) {
            root.put("valid_accuracies", history.validAccuracies);
            root.put("valid_loss_hist", history.validLossHist);
            root.put("selected_epoch", s.validation().select() == ModelSelection.BEST
                    ? history.bestValidEpoch() : history.epochsDone());
        }
        root.put("partial", partial);
        return root;
    }

    /** The original's PARAMS (every flag plus input_size and nb_class), then the flags we add: see {@link Params}. */
    static Map<String, Object> params(RunSettings s, RunInfo info) {
        return Params.write(s, info);
    }

    /** Writes the file atomically; it never replaces an existing file. */
    public static void write(Path file, Map<String, Object> content) {
        commit(file, content, true);
    }

    /**
     * Writes the file atomically, replacing it if present: only for a run's own partial results,
     * which its final (or a later partial) results supersede.
     */
    static void replace(Path file, Map<String, Object> content) {
        commit(file, content, false);
    }

    private static void commit(Path file, Map<String, Object> content, boolean mustBeNew) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsString(content).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw SpsnException.data("cannot write results file " + file + ": " + e.getMessage(), e);
        }
        if (mustBeNew) {
            AtomicFiles.writeNew(file, out -> out.write(bytes));
        } else {
            AtomicFiles.write(file, out -> out.write(bytes));
        }
    }
}
