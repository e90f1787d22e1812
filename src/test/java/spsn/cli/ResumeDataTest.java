package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.ObjectMapper;
import spsn.train.RunInterruptedException;
import spsn.train.RunSettings;
import spsn.train.TrainingRun;

/**
 * A resume must train and test on the data its checkpoint was saved with: the checkpoint keeps
 * a fingerprint of each split's content, and other data of the same size is refused, naming
 * the split that changed. Checkpoints without fingerprints (earlier versions) still resume.
 */
class ResumeDataTest {

    @TempDir
    Path tmp;

    private Path data;
    private Path checkpoint;

    /** Trains one epoch of 2 on resume_train.h5 / resume_test.h5 and stops: the checkpoint. */
    private void checkpointOnFixtures() throws IOException {
        data = Files.createDirectories(tmp.resolve("data"));
        use("cli/resume_train.h5", "shd_train.h5");
        use("cli/resume_test.h5", "shd_test.h5");
        Path out = tmp.resolve("out");
        RunSettings settings = TrainingFlags.check(List.of("--seed", "4", "--dataset", "heidelberg", "--neuron",
                "LIF", "--nb_epochs", "2", "--batch_size", "4", "--hidden_size", "8", "--nb_layers", "2",
                "--data_dir", data.toString(), "--output_dir", out.toString(), "--device", "cpu", "--synthetic_train",
                "32", "--synthetic_test", "16", "--progress", "False"));
        AtomicInteger asked = new AtomicInteger();
        // questions: before epoch 1, after its batch 1 of 2, before epoch 2: stop there
        assertThrows(RunInterruptedException.class, new TrainingRun(settings, new PrintWriter(new StringWriter()), "t")
                .stopWhen(() -> asked.incrementAndGet() >= 3)::run);
        checkpoint = Cli.onlyFile(out, "checkpoint_LIF_", ".json");
    }

    private void use(String fixture, String as) throws IOException {
        Files.copy(Cli.resource(fixture), data.resolve(as), StandardCopyOption.REPLACE_EXISTING);
    }

    private Cli.Result resume() {
        return Cli.run("--resume", checkpoint.toString(), "--progress", "False");
    }

    @Test
    void sameDataResumes() throws IOException {
        checkpointOnFixtures();
        Cli.Result result = resume().assertOk();
        assertFalse(result.out().contains("Warning"), result.out());
    }

    @Test
    void aTrainingSetOfTheSameSizeWithOtherLabelsIsRefused() throws IOException {
        checkpointOnFixtures();
        use("cli/resume_train_relabelled.h5", "shd_train.h5");
        resume().assertError(1, "checkpoint " + checkpoint + " was saved with other data",
                "the training set (" + data.resolve("shd_train.h5") + ") has the same 8 samples but other content",
                "--data_dir");
    }

    @Test
    void aTestSetWithAMovedSpikeIsRefused() throws IOException {
        checkpointOnFixtures();
        use("cli/resume_test_moved.h5", "shd_test.h5");
        Cli.Result result = resume().assertError(1, "the test set (" + data.resolve("shd_test.h5")
                + ") has the same 4 samples but other content");
        assertFalse(result.err().contains("training set"), result.err());
    }

    @Test
    void anotherSampleCountNamesTheSplitAndBothCounts() throws IOException {
        checkpointOnFixtures();
        use("cli/resume_test.h5", "shd_train.h5");
        resume().assertError(1, "the training set (" + data.resolve("shd_train.h5")
                + ") has 4 samples, the checkpoint's had 8");
    }

    @Test
    void aCheckpointWithoutFingerprintsResumesWithAWarning() throws IOException {
        checkpointOnFixtures();
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(checkpoint.toFile());
        root.remove("train_fingerprint");
        root.remove("test_fingerprint");
        json.writeValue(checkpoint.toFile(), root);
        Cli.Result result = resume().assertOk();
        assertTrue(result.out().contains("Warning: checkpoint " + checkpoint + " has no data fingerprints"), result.out());
    }
}
