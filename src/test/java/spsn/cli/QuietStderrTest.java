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
}
