package spsn.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The scanned runs sorted into what the report shows: one {@link Section} per dataset and epoch
 * count (averaging a 2-epoch run with a 200-epoch one would mean nothing), the runs that fit no
 * table column, and what was skipped.
 *
 * @param sections table sections, sorted by dataset then epochs
 * @param otherRuns complete runs of {@link Configuration#OTHER}, sorted by file name
 * @param partialRuns runs interrupted before their end (not used anywhere else)
 * @param unreadable files that could not be parsed
 * @param evaluations test-only runs of a saved model (--load_model, --nb_epochs 0), shown apart:
 *                    they trained nothing, so they have no place in a table of training runs
 * @param duplicates runs that repeat another with the same seed and settings, counted once
 */
public record ReportData(List<Section> sections, List<RunResult> otherRuns, List<RunResult> partialRuns,
                         List<ResultsScanner.Unreadable> unreadable, List<RunResult> evaluations,
                         List<Duplicate> duplicates) {

    /** PARAMS that say where a run's files were, not what it computed. */
    private static final Set<String> NOT_SETTINGS = Set.of("dir", "data_dir", "output_dir");

    /**
     * A run that repeats {@code original}: the same seed and PARAMS (its folders aside), so the
     * same experiment, which must not count as a second seed (it would show ± 0.00).
     */
    public record Duplicate(RunResult run, RunResult original) {
    }

    /**
     * The runs of one dataset trained for one number of epochs.
     *
     * @param dataset PARAMS.dataset
     * @param epochs PARAMS.nb_epochs
     * @param runs its runs, sorted by file name
     */
    public record Section(String dataset, int epochs, List<RunResult> runs) {

        /** Runs of one table cell, sorted by file name. */
        public List<RunResult> cell(String neuron, Configuration config) {
            return runs.stream().filter(r -> r.neuron().equals(neuron) && r.config() == config).toList();
        }

        /** The configurations that have at least one run here, in the paper's order. */
        public List<Configuration> configsPresent() {
            List<Configuration> out = new ArrayList<>();
            for (Configuration c : Configuration.COLUMNS) {
                if (runs.stream().anyMatch(r -> r.config() == c)) {
                    out.add(c);
                }
            }
            return out;
        }

        /** Whether the paper's numbers apply (they were measured on SHD). */
        public boolean comparableToPaper() {
            return PaperNumbers.DATASET.equals(dataset);
        }

        /** "dataset-Nep", safe as a file-name prefix. */
        public String slug() {
            return (dataset + "-" + epochs + "ep").replaceAll("[^A-Za-z0-9._-]", "_");
        }

        public String title() {
            return dataset + ", " + epochs + (epochs == 1 ? " epoch" : " epochs");
        }
    }

    /**
     * Sorts the scanned runs; partial runs go only to {@link #partialRuns()}, duplicates only to
     * {@link #duplicates()}, test-only runs only to {@link #evaluations()}.
     */
    public static ReportData of(ResultsScanner.ScanResult scan) {
        Map<String, Map<Integer, List<RunResult>>> byDataset = new TreeMap<>();
        List<RunResult> other = new ArrayList<>();
        List<RunResult> partial = new ArrayList<>();
        List<RunResult> evaluations = new ArrayList<>();
        List<Duplicate> duplicates = new ArrayList<>();
        Map<List<Object>, RunResult> firstOfExperiment = new HashMap<>();
        for (RunResult run : sortedByName(scan.runs())) {
            if (run.partial()) {
                partial.add(run);
                continue;
            }
            if (run.seed() != null) {
                RunResult original = firstOfExperiment.putIfAbsent(experiment(run), run);
                if (original != null) {
                    duplicates.add(new Duplicate(run, original));
                    continue;
                }
            }
            if (testOnly(run)) {
                evaluations.add(run);
            } else if (run.config() == Configuration.OTHER) {
                other.add(run);
            } else {
                byDataset.computeIfAbsent(run.dataset(), d -> new TreeMap<>())
                        .computeIfAbsent(run.epochs(), e -> new ArrayList<>())
                        .add(run);
            }
        }
        List<Section> sections = new ArrayList<>();
        byDataset.forEach((dataset, byEpochs) -> byEpochs.forEach((epochs, runs) ->
                sections.add(new Section(dataset, epochs, sortedByName(runs)))));
        return new ReportData(List.copyOf(sections), sortedByName(other), sortedByName(partial),
                List.copyOf(scan.unreadable()), List.copyOf(evaluations), List.copyOf(duplicates));
    }

    /** A run that trained nothing: it tested a loaded model. */
    static boolean testOnly(RunResult run) {
        return run.epochs() == 0 && run.lossHist().isEmpty();
    }

    /** What makes two runs the same experiment: the seed and every setting. */
    private static List<Object> experiment(RunResult run) {
        Map<String, Object> settings = new TreeMap<>(run.params());
        settings.keySet().removeAll(NOT_SETTINGS);
        return List.of(run.seed(), settings);
    }

    /** Number of runs shown in the tables. */
    public int tableRunCount() {
        return sections.stream().mapToInt(s -> s.runs().size()).sum();
    }

    private static List<RunResult> sortedByName(List<RunResult> runs) {
        return runs.stream().sorted(Comparator.comparing(RunResult::name)).toList();
    }
}
