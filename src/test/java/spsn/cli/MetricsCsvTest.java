package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spsn.train.RunInterruptedException;
import spsn.train.RunSettings;
import spsn.train.TrainingRun;

/**
 * The per-epoch CSV beside the results: its columns hold the results file's numbers, pandas
 * (or Python's csv module where pandas is missing) reads it as it is, and a run stopped in the
 * middle of an epoch then resumed ends with the CSV of an uninterrupted run.
 */
class MetricsCsvTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final List<String> HEADER = List.of("epoch", "loss", "train_accuracy", "test_accuracy", "seconds",
            "learning_rate", "spikes_layer_1", "spikes_layer_2", "spikes_layer_3");

    @TempDir
    Path tmp;

    @Test
    void theCsvHoldsTheResultsNumbersPerEpochAndPythonReadsIt() throws Exception {
        Path dir = tmp.resolve("out");
        Cli.Result run = Cli.small("--output_dir", dir.toString(), "--seed", "5", "--neuron", "SPSN-SB",
                "--nb_epochs", "3", "--test_every", "2").assertOk();
        Path results = Cli.onlyFile(dir, "results_SPSN-SB_", ".json");
        String id = results.getFileName().toString().replaceAll("\\D", "");
        Path csv = dir.resolve("metrics_SPSN-SB_" + id + ".csv");
        assertTrue(run.out().lines().anyMatch(l -> l.equals("Metrics: " + csv)), run.out());
        List<String[]> rows = rows(csv);
        assertEquals(HEADER, List.of(rows.get(0)));
        assertEquals(4, rows.size(), "header and 3 epochs");

        JsonNode json = Cli.json(results);
        for (int e = 0; e < 3; e++) {
            String[] row = rows.get(e + 1);
            assertEquals(Integer.toString(e + 1), row[0]);
            assertEquals(json.get("loss_hist").get(e).asDouble(), Double.parseDouble(row[1]));
            assertEquals(json.get("train_accuracies").get(e).asDouble(), Double.parseDouble(row[2]));
            assertEquals(json.get("epoch_durations").get(e).asDouble(), Double.parseDouble(row[4]));
            assertEquals(0.001, Double.parseDouble(row[5]));
            for (int layer = 6; layer < 9; layer++) {
                double spikes = Double.parseDouble(row[layer]);
                assertTrue(spikes >= 0 && spikes <= 16, "Σ rates of 16 neurons: " + spikes);
            }
        }
        assertEquals("", rows.get(1)[3], "epoch 1 was not tested");
        assertEquals(json.get("test_accuracy_hist").get(0).asDouble(), Double.parseDouble(rows.get(2)[3]));
        assertEquals(json.get("test_accuracies").asDouble(), Double.parseDouble(rows.get(3)[3]));

        assertPythonReads(csv, json);
    }

    /**
     * Stopped after the first batch of epoch 2 (as Ctrl-C would stop it), the CSV holds epoch 1;
     * resumed, it ends as an uninterrupted run's, number for number (the time column aside).
     */
    @Test
    void aResumedRunContinuesTheCsvExactly() throws Exception {
        Path reference = tmp.resolve("reference");
        run(reference, () -> false);
        Path dir = tmp.resolve("stopped");
        AtomicInteger asked = new AtomicInteger();
        // questions: before epoch 1, after its batch 1, before epoch 2, after its batch 1
        assertThrows(RunInterruptedException.class, () -> run(dir, () -> asked.incrementAndGet() >= 4));
        Path stoppedCsv = Cli.onlyFile(dir, "metrics_SPSN-GS_", ".csv");
        assertEquals(2, rows(stoppedCsv).size(), "the header and epoch 1");
        Path checkpoint = Cli.onlyFile(dir, "checkpoint_SPSN-GS_", ".json");
        assertEquals(1, Cli.json(checkpoint).get("epoch_progress").get("next_batch").asInt(), "stopped mid-epoch");

        Cli.run("--resume", checkpoint.toString(), "--progress", "False").assertOk();
        List<String[]> resumed = rows(Cli.onlyFile(dir, "metrics_SPSN-GS_", ".csv"));
        List<String[]> uninterrupted = rows(Cli.onlyFile(reference, "metrics_SPSN-GS_", ".csv"));
        assertEquals(uninterrupted.size(), resumed.size());
        for (int r = 0; r < resumed.size(); r++) {
            String[] a = uninterrupted.get(r).clone();
            String[] b = resumed.get(r).clone();
            if (r > 0) {
                a[4] = b[4] = "seconds";
            }
            assertEquals(List.of(a), List.of(b), "row " + r);
        }
    }

    private static void run(Path dir, java.util.function.BooleanSupplier stop) {
        RunSettings settings = TrainingFlags.check(List.of("--seed", "17", "--dataset", "synthetic", "--neuron",
                "SPSN-GS", "--nb_epochs", "3", "--batch_size", "16", "--hidden_size", "16", "--output_dir",
                dir.toString(), "--device", "cpu", "--synthetic_train", "32", "--synthetic_test", "16", "--progress",
                "False"));
        new TrainingRun(settings, new PrintWriter(new StringWriter()), "test").stopWhen(stop).run();
    }

    private static List<String[]> rows(Path csv) throws IOException {
        String text = Files.readString(csv);
        assertTrue(text.endsWith("\n") && !text.contains("\r"), "plain lines");
        List<String[]> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            rows.add(line.split(",", -1));
        }
        return rows;
    }

    /** pandas' read_csv as it is: every column numeric, the test accuracy NaN where not measured. */
    private void assertPythonReads(Path csv, JsonNode json) throws Exception {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return; // checked in Java above; Debian's python3 adds the reader's view
        }
        String script = String.join("\n",
                "import json, sys",
                "try:",
                "    import pandas as pd",
                "    df = pd.read_csv(sys.argv[1])",
                "    out = {'reader': 'pandas', 'columns': list(df.columns),",
                "           'numeric': all(str(t) in ('int64', 'float64') for t in df.dtypes),",
                "           'loss': df['loss'].tolist(), 'test': [None if v != v else v for v in df['test_accuracy']]}",
                "except ImportError:",
                "    import csv",
                "    rows = list(csv.DictReader(open(sys.argv[1], newline='')))",
                "    out = {'reader': 'csv', 'columns': list(rows[0].keys()), 'numeric': True,",
                "           'loss': [float(r['loss']) for r in rows],",
                "           'test': [float(r['test_accuracy']) if r['test_accuracy'] else None for r in rows]}",
                "print(json.dumps(out))");
        Process python = new ProcessBuilder(PYTHON, "-c", script, csv.toString()).redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(python.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, python.exitValue(), output);
        JsonNode read = new ObjectMapper().readTree(output);
        assertEquals(HEADER, Arrays.asList(new ObjectMapper().convertValue(read.get("columns"), String[].class)));
        assertTrue(read.get("numeric").asBoolean(), "every column numeric for " + read.get("reader") + ": " + output);
        for (int e = 0; e < 3; e++) {
            assertEquals(json.get("loss_hist").get(e).asDouble(), read.get("loss").get(e).asDouble());
        }
        assertTrue(read.get("test").get(0).isNull(), "NaN where not measured: " + output);
        assertEquals(json.get("test_accuracies").asDouble(), read.get("test").get(2).asDouble());
    }
}
