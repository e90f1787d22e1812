package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Utils;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spsn.engine.MklCodePaths;

/**
 * What the library does: the tool's process has it loaded where SPSN_MKL_INTEL_PATHS says so; in a
 * process that opens it as the JVM does, the engine's MKL answers its own CPU check with "Intel"
 * and so detects another kernel branch on other makers' CPUs (the same one on Intel's); and a run
 * in this JVM gives the numbers of a relaunched one. The second test calls libtorch's MKL from C,
 * so it needs a C compiler (CI has gcc); it skips without one.
 */
class MklIntelKernelsTest {

    private static final Pattern PROBE = Pattern.compile("library (-?\\d+) branch (-?\\d+)");

    @TempDir
    Path tmp;

    @Test
    void theToolsProcessHasItLoadedWhereChosen() throws Exception {
        assumeTrue(x86Linux(), "the library is built for Linux x86-64");
        assertTrue(ChildJvm.run(Child.class, Map.of(MklCodePaths.CHOICE, "yes"), tmp).contains("loaded true"),
                "with yes");
        assertTrue(ChildJvm.run(Child.class, Map.of(MklCodePaths.CHOICE, "no"), tmp).contains("loaded false"),
                "with no");
    }

    @Test
    void withItMklDetectsItsKernelsAsOnIntelsCpus() throws Exception {
        assumeTrue(x86Linux(), "the library is built for Linux x86-64");
        Optional<String> compiler = compiler();
        assumeTrue(compiler.isPresent(), "no C compiler (cc, gcc) to build the probe that calls libtorch's MKL");
        Path probe = buildProbe(compiler.get());
        Engine.getInstance(); // the engine's libtorch, extracted on first use
        Path libtorch = Path.of(LibUtils.getLibtorchPath()).resolve("libtorch_cpu.so");
        assumeTrue(Files.isRegularFile(libtorch), "no libtorch_cpu.so in " + libtorch.getParent());
        Path library = MklCodePaths.install(tmp.resolve("cache"));

        int[] without = runProbe(probe, libtorch, library, "opened");
        int[] with = runProbe(probe, libtorch, library, "loaded");
        assertEquals(1, without[0], "the library's own answer");
        boolean intel = MklCodePaths.vendor().map("GenuineIntel"::equals).orElse(false);
        String seen = "MKL's branch " + without[1] + " without the library, " + with[1] + " with it";
        System.out.println("MklIntelKernelsTest: " + MklCodePaths.vendor().orElse("unknown maker") + ", " + seen);
        if (intel) {
            assertEquals(without[1], with[1], "an Intel CPU gets Intel's kernels either way; " + seen);
        } else {
            assertNotEquals(without[1], with[1], "the library changes MKL's choice; " + seen);
        }
    }

    @Test
    void aRunInThisJvmGivesTheNumbersOfARelaunchedOne() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "the relaunch is Linux's");
        String[] flags = {"--neuron", "SPSN-SB", "--seed", "4"};
        ChildJvm.Finished relaunched = ChildJvm.trainWith(Map.of(), tmp.resolve("relaunched"), flags);
        assertEquals(0, relaunched.exitCode(), relaunched.output());
        List<String> here = new ArrayList<>(ChildJvm.trainingFlags(tmp.resolve("here")));
        here.addAll(List.of(flags));
        Cli.run(here.toArray(String[]::new)).assertOk();
        JsonNode child = Cli.json(Cli.onlyFile(tmp.resolve("relaunched/out"), "results_", ".json"));
        JsonNode ours = Cli.json(Cli.onlyFile(tmp.resolve("here/out"), "results_", ".json"));
        for (String field : List.of("loss_hist", "train_accuracies", "test_accuracies", "nb_spikes")) {
            assertEquals(child.get(field), ours.get(field), field);
        }
    }

    @Test
    void anUnknownValueIsOneLineAndExit2() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "the relaunch (it preloads the library) is Linux's");
        ChildJvm.Finished run = ChildJvm.trainWith(Map.of(MklCodePaths.CHOICE, "avx512"), tmp);
        assertEquals(2, run.exitCode(), run.output());
        assertEquals("spsn: SPSN_MKL_INTEL_PATHS=avx512: unknown value; use auto, yes or no\n", run.output());
    }

    private static boolean x86Linux() {
        return System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64");
    }

    private static Optional<String> compiler() throws InterruptedException {
        for (String name : List.of("cc", "gcc")) {
            try {
                Process p = new ProcessBuilder(name, "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return Optional.of(name);
                }
            } catch (java.io.IOException e) {
                // not installed: try the next
            }
        }
        return Optional.empty();
    }

    /**
     * A program that opens libtorch (argument 1) and the library (argument 2) as the JVM opens
     * libraries, runs the library's JNI_OnLoad as System.load does when argument 3 is "loaded",
     * and prints the library's answer and the kernel branch MKL detects in that process.
     */
    private Path buildProbe(String compiler) throws Exception {
        Path source = Files.writeString(tmp.resolve("probe.c"), String.join("\n",
                "#include <dlfcn.h>",
                "#include <stdio.h>",
                "#include <string.h>",
                "int main(int argc, char **argv) {",
                "  void *torch = dlopen(argv[1], RTLD_LAZY);",
                "  void *library = dlopen(argv[2], RTLD_LAZY);",
                "  if (argc < 4 || !torch || !library) { fprintf(stderr, \"%s\\n\", dlerror()); return 2; }",
                "  int (*onLoad)(void *, void *) = (int (*)(void *, void *)) dlsym(library, \"JNI_OnLoad\");",
                "  if (!onLoad) { fprintf(stderr, \"no JNI_OnLoad\\n\"); return 3; }",
                "  if (strcmp(argv[3], \"loaded\") == 0) onLoad(0, 0);",
                "  int (*answer)(void) = (int (*)(void)) dlsym(library, \"mkl_serv_intel_cpu_true\");",
                "  int (*branch)(void) = (int (*)(void)) dlsym(torch, \"mkl_serv_cpu_detect\");",
                "  if (!answer || !branch) { fprintf(stderr, \"missing symbol\\n\"); return 3; }",
                "  printf(\"library %d branch %d\\n\", answer(), branch());",
                "  return 0;",
                "}", ""));
        Path probe = tmp.resolve("probe");
        Process p = new ProcessBuilder(compiler, "-o", probe.toString(), source.toString(), "-ldl")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "the probe builds: " + out);
        return probe;
    }

    private static int[] runProbe(Path probe, Path libtorch, Path library, String how) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(probe.toString(), libtorch.toString(), library.toString(), how)
                .redirectErrorStream(true);
        builder.environment().put("LD_LIBRARY_PATH", libtorch.getParent().toString());
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "the probe runs: " + out);
        Matcher m = PROBE.matcher(out);
        assertTrue(m.find(), out);
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    /**
     * Does what the tool's process does first, starts the engine with one product, and says
     * whether the library is in its memory map.
     */
    public static final class Child {

        public static void main(String[] args) {
            MklCodePaths.useHere(System.getenv(), Utils.getCacheDir(), new PrintWriter(System.out, true));
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray a = manager.ones(new Shape(64, 64));
                a.matMul(a).close();
            }
            System.out.println("loaded " + MklCodePaths.loadedHere());
        }
    }
}
