package spsn.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import spsn.engine.LibtorchFolders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * --device and the libtorch it finds, in real processes: the tool relaunched with the libtorch it
 * chose (here the bundled CPU build given through PYTORCH_LIBRARY_PATH, the one this machine has)
 * and candidates refused with their reasons. No GPU here: the GPU's own success is not run.
 */
class GpuDeviceCliTest {

    @TempDir
    Path tmp;
    private Path nothing;

    private record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void folders() throws IOException {
        nothing = Files.createDirectories(tmp.resolve("empty-bin"));
    }

    /** spsn with {@code env} (PATH, PYTORCH_* variables) added, its stdout and stderr. */
    private Run spsn(Map<String, String> env, boolean relaunch, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), "spsn.cli.Main"));
        command.addAll(List.of(args));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("PYTORCH_"));
        builder.environment().put("DJL_CACHE_DIR", tmp.resolve("djl").toString()); // the JNI lands here, not in ~
        if (relaunch) {
            builder.environment().remove("SPSN_NO_RELAUNCH");
        } else {
            builder.environment().put("SPSN_NO_RELAUNCH", "1");
        }
        builder.environment().putAll(env);
        Process p = builder.start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "hang guard");
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private List<String> train(String device) {
        List<String> args = new ArrayList<>(Cli.SMALL);
        args.addAll(List.of("--nb_epochs", "1", "--device", device, "--output_dir", tmp.resolve("o").toString()));
        return args;
    }

    private static void assertOneLine(Run run) {
        assertEquals(1, run.exit(), run.err() + run.out());
        assertEquals(1, run.err().lines().count(), "one line: " + run.err());
        assertTrue(run.err().startsWith("spsn: --device gpu: no usable CUDA libtorch 2.7.1 ("), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @ParameterizedTest(name = "relaunch {0}")
    @ValueSource(booleans = {true, false})
    void theBundledCpuLibtorchGivenThroughTheLibraryPathRunsTheChild(boolean relaunch) throws Exception {
        Path lib = LibtorchFolders.pipTorch(tmp.resolve("site"), "2.7.1", null, false);
        Run run = spsn(Map.of("PYTORCH_LIBRARY_PATH", lib.toString(), "PATH", nothing.toString()), relaunch,
                train("auto").toArray(String[]::new));
        assertEquals(0, run.exit(), run.err() + run.out());
        assertEquals("spsn: PYTORCH_LIBRARY_PATH=" + lib + ": libtorch 2.7.1 (CPU only), used on the CPU\n", run.err());
        // the engine that trained says where its libtorch came from: the folder given, with its flavour
        assertTrue(run.out().contains("Engine: libtorch 2.7.1 (cpu) from " + lib + "\n"), run.out());
        assertTrue(run.out().contains("Test accuracy"), run.out());
    }

    @Test
    void aLibtorchOfAnotherVersionIsPassedOverForTheBundledOne() throws Exception {
        Path lib = LibtorchFolders.pipTorch(tmp.resolve("old"), "2.5.1", null, false);
        Run run = spsn(Map.of("PYTORCH_LIBRARY_PATH", lib.toString(), "PATH", nothing.toString()), true,
                train("cpu").toArray(String[]::new));
        assertEquals(0, run.exit(), run.err() + run.out());
        assertEquals("spsn: PYTORCH_LIBRARY_PATH=" + lib + " passed over, libtorch 2.5.1, not 2.7.1; the bundled CPU"
                + " libtorch is used\n", run.err());
        assertFalse(run.out().contains("Engine: libtorch"), "the bundled libtorch: " + run.out());
    }

    @Test
    void gpuWithNothingFoundIsOneLineAndExitOne() throws Exception {
        Run run = spsn(Map.of("PATH", nothing.toString()), true, train("gpu").toArray(String[]::new));
        assertOneLine(run);
        assertTrue(run.err().contains("PYTORCH_LIBRARY_PATH is not set; no python3 on PATH"), run.err());
        assertEquals("", run.out());
        // the bench looks the same way
        Run bench = spsn(Map.of("PATH", nothing.toString()), true, "bench", "--device", "gpu");
        assertOneLine(bench);
    }

    @Test
    void aFolderWithoutLibtorchAndACpuBuildAreRefusedWithTheirReasons() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("no-libtorch"));
        Run run = spsn(Map.of("PYTORCH_LIBRARY_PATH", empty.toString(), "PATH", nothing.toString()), true,
                train("gpu").toArray(String[]::new));
        assertOneLine(run);
        assertTrue(run.err().contains("PYTORCH_LIBRARY_PATH at " + empty + ": no libtorch.so in it"), run.err());

        Path cpu = LibtorchFolders.pipTorch(tmp.resolve("cpu"), "2.7.1", null, false);
        Run cpuBuild = spsn(Map.of("PYTORCH_LIBRARY_PATH", cpu.toString(), "PATH", nothing.toString()), true,
                train("gpu").toArray(String[]::new));
        assertOneLine(cpuBuild);
        assertTrue(cpuBuild.err().contains("PYTORCH_LIBRARY_PATH at " + cpu + ": libtorch 2.7.1 (CPU only) is a CPU-only"
                + " build"), cpuBuild.err());
    }

    @Test
    void aPythonWithAnotherTorchIsRefusedWithItsVersion() throws Exception {
        // a real interpreter importing a torch package that says it is 2.5.1+cu124
        Path interpreter = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(interpreter), "no /usr/bin/python3 to run the fake torch");
        Path fakeTorch = Files.createDirectories(tmp.resolve("fake-site/torch"));
        Files.writeString(fakeTorch.resolve("__init__.py"), "__version__ = '2.5.1+cu124'\nfrom . import version\n");
        Files.writeString(fakeTorch.resolve("version.py"), "__version__ = '2.5.1+cu124'\ncuda = '12.4'\n");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path python = bin.resolve("python3");
        Files.writeString(python, "#!/bin/sh\nPYTHONPATH=" + fakeTorch.getParent() + " exec " + interpreter + " \"$@\"\n");
        assertTrue(python.toFile().setExecutable(true));
        Run run = spsn(Map.of("PATH", bin + ":" + nothing), true, train("gpu").toArray(String[]::new));
        assertOneLine(run);
        assertTrue(run.err().contains(python + ": torch 2.5.1+cu124, not 2.7.1"), run.err());
    }
}
