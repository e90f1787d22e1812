package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading a model writes nothing on stderr but the tool's own lines (a resumed checkpoint's
 * parameters go through the same ModelFiles.load):
 * libtorch printed "AutoNonVariableTypeMode is deprecated" from the engine's tensor set, which a
 * relaunched child's TORCH_CPP_LOG_LEVEL does not silence. Checked in a real process, where the
 * native stderr is the process's.
 */
class QuietStderrTest {

    @TempDir
    Path tmp;

    private String stderrOf(boolean relaunch, String name, String... flags) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), "spsn.cli.Main"));
        command.addAll(List.of(flags));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(tmp.resolve(name + ".out").toFile())
                .redirectError(tmp.resolve(name + ".err").toFile());
        if (relaunch) {
            builder.environment().remove("SPSN_NO_RELAUNCH");
        } else {
            builder.environment().put("SPSN_NO_RELAUNCH", "1");
        }
        Process p = builder.start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "hang guard");
        String err = Files.readString(tmp.resolve(name + ".err"));
        assertEquals(0, p.exitValue(), err + Files.readString(tmp.resolve(name + ".out")));
        return err;
    }

    @ParameterizedTest(name = "relaunch {0}")
    @ValueSource(booleans = {true, false})
    void loadingAModelPrintsNoLibtorchWarning(boolean relaunch) throws Exception {
        Path out = tmp.resolve("o");
        List<String> train = new ArrayList<>(Cli.SMALL);
        train.addAll(List.of("--nb_epochs", "1", "--save_model", "True", "--output_dir", out.toString()));
        stderrOf(relaunch, "train", train.toArray(String[]::new));
        Path model = Cli.files(out, "model_", ".pt").get(0);

        List<String> load = new ArrayList<>(Cli.SMALL);
        load.addAll(List.of("--nb_epochs", "0", "--load_model", model.toString(), "--output_dir", out.toString()));
        assertEquals("", stderrOf(relaunch, "load", load.toArray(String[]::new)));
    }

    /**
     * Training on SHD files writes nothing on stderr either: the data loads on a thread of its own
     * while the training thread warms up (spsn.train.TrainingWarmup), and SLF4J warned that it
     * replayed the log calls of the one while the other was starting it.
     */
    @ParameterizedTest(name = "relaunch {0}")
    @ValueSource(booleans = {true, false})
    void trainingOnShdFilesPrintsNothingOnStderr(boolean relaunch) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.copy(Cli.resource("cli/resume_train.h5"), data.resolve("shd_train.h5"));
        Files.copy(Cli.resource("cli/resume_test.h5"), data.resolve("shd_test.h5"));
        assertEquals("", stderrOf(relaunch, "shd", "--data_dir", data.toString(), "--output_dir",
                tmp.resolve("o").toString(), "--hidden_size", "8", "--batch_size", "4", "--nb_epochs", "1",
                "--progress", "False"));
    }
}
