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
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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
 * What the preloaded library does: the tuned child has it loaded where SPSN_MKL_INTEL_PATHS says
 * so, and in a process that has it, the engine's MKL answers its own CPU check with "Intel" and so
 * detects another kernel branch on other makers' CPUs (the same one on Intel's). The second test
 * calls libtorch's MKL from C, so it needs a C compiler (CI has gcc); it skips without one.
 */
class MklIntelKernelsTest {

    private static final Pattern PROBE = Pattern.compile("library (-?\\d+) branch (-?\\d+)");

    @TempDir
    Path tmp;

    @Test
    void theTunedChildHasItLoadedWhereChosen() throws Exception {
        assumeTrue(x86Linux(), "the library is built for Linux x86-64");
        Map<String, String> chosen = childEnvironment("yes");
        assertTrue(chosen.get("LD_PRELOAD").endsWith("/" + MklCodePaths.LIBRARY), chosen.toString());
        assertTrue(ChildJvm.run(Child.class, chosen, tmp).contains("loaded true"), "with yes");

        Map<String, String> declined = childEnvironment("no");
        assertEquals("", declined.get("LD_PRELOAD"), "nothing added");
        assertTrue(ChildJvm.run(Child.class, declined, tmp).contains("loaded false"), "with no");
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

        int[] without = runProbe(probe, libtorch, library, "");
        int[] with = runProbe(probe, libtorch, library, library.toString());
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
    void aCacheThatCannotTakeItIsOneNoteAndTheRunGoesOn() throws Exception {
        assumeTrue(x86Linux(), "the library is built for Linux x86-64");
        Path blocked = Files.writeString(tmp.resolve("a-file"), "not a folder");
        Map<String, String> environment = new HashMap<>(Map.of("LD_PRELOAD", "/opt/trace.so"));
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        TunedRelaunch.withMklIntelPaths(Map.of(MklCodePaths.CHOICE, "yes"), environment, blocked,
                new PrintStream(notes, true, StandardCharsets.UTF_8));
        assertEquals(Map.of("LD_PRELOAD", "/opt/trace.so"), environment, "nothing added");
        String note = notes.toString(StandardCharsets.UTF_8);
        assertTrue(note.startsWith("spsn: note: MKL keeps its generic kernels on this "), note);
        assertTrue(note.contains("cannot write its library under " + blocked), note);
        assertTrue(note.endsWith("set DJL_CACHE_DIR to a writable folder, or SPSN_MKL_INTEL_PATHS=no to keep this"
                + " quiet\n"), note);
        assertEquals(1, note.lines().count(), note);
    }

    @Test
    void anUnknownValueIsOneLineAndExit2() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "the relaunch (it preloads the library) is Linux's");
        ChildJvm.Finished run = ChildJvm.trainWith(Map.of(MklCodePaths.CHOICE, "avx512"), tmp);
        assertEquals(2, run.exitCode(), run.output());
        assertEquals("spsn: SPSN_MKL_INTEL_PATHS=avx512: unknown value; use auto, yes or no\n", run.output());
    }

    private Map<String, String> childEnvironment(String choice) {
        Map<String, String> environment = new HashMap<>(Map.of("LD_PRELOAD", ""));
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        TunedRelaunch.withMklIntelPaths(Map.of(MklCodePaths.CHOICE, choice), environment, tmp.resolve("cache"),
                new PrintStream(notes, true, StandardCharsets.UTF_8));
        assertEquals("", notes.toString(StandardCharsets.UTF_8), "no note");
        return environment;
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
     * A program that opens libtorch (argument 1) and the library (argument 2), and prints the
     * library's answer and the kernel branch MKL detects in that process.
     */
    private Path buildProbe(String compiler) throws Exception {
        Path source = Files.writeString(tmp.resolve("probe.c"), String.join("\n",
                "#include <dlfcn.h>",
                "#include <stdio.h>",
                "int main(int argc, char **argv) {",
                "  void *torch = dlopen(argv[1], RTLD_NOW | RTLD_GLOBAL);",
                "  void *library = dlopen(argv[2], RTLD_NOW | RTLD_LOCAL);",
                "  if (!torch || !library) { fprintf(stderr, \"%s\\n\", dlerror()); return 2; }",
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

    private static int[] runProbe(Path probe, Path libtorch, Path library, String preload) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(probe.toString(), libtorch.toString(), library.toString())
                .redirectErrorStream(true);
        builder.environment().put("LD_LIBRARY_PATH", libtorch.getParent().toString());
        builder.environment().put("LD_PRELOAD", preload);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "the probe runs: " + out);
        Matcher m = PROBE.matcher(out);
        assertTrue(m.find(), out);
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    /** Starts the engine with one product and says whether the library is in its memory map. */
    public static final class Child {

        public static void main(String[] args) {
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray a = manager.ones(new Shape(64, 64));
                a.matMul(a).close();
            }
            System.out.println("loaded " + MklCodePaths.loadedHere());
        }
    }
}
