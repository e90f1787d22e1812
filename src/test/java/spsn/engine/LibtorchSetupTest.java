package spsn.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decision for each --device, on a machine described by the test: real folders, pythons and
 * engine probes given as answers (the probe itself runs for real in EngineProbeTest and the whole
 * relaunch in spsn.cli.GpuDeviceCliTest).
 */
class LibtorchSetupTest {

    @TempDir
    Path tmp;

    /** A machine whose pythons and probe answer as told; it records what was asked. */
    private static final class FakeHost implements LibtorchSetup.Host {
        final Map<String, String> env = new HashMap<>();
        boolean driver;
        final Map<Path, PythonTorch> pythons = new HashMap<>();
        Function<Map<String, String>, EngineProbe.Result> probe = e -> {
            throw new AssertionError("no probe expected");
        };
        final List<Path> asked = new ArrayList<>();
        final List<Map<String, String>> probed = new ArrayList<>();

        @Override
        public Map<String, String> environment() {
            return env;
        }

        @Override
        public boolean nvidiaDriver() {
            return driver;
        }

        @Override
        public PythonTorch ask(Path python) {
            asked.add(python);
            return pythons.get(python);
        }

        @Override
        public EngineProbe.Result probe(Map<String, String> engine) {
            probed.add(engine);
            return probe.apply(engine);
        }
    }

    /** A python3 on PATH (an executable file in a folder of its own) that will answer {@code torch}. */
    private Path python(FakeHost host, String name, String version, String cuda, Path lib) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin-" + name));
        Path python = Files.writeString(bin.resolve("python3"), "#!/bin/sh\nexit 1\n");
        python.toFile().setExecutable(true);
        host.env.merge("PATH", bin.toString(), (a, b) -> a + ":" + b);
        host.pythons.put(python, new PythonTorch(python, version, cuda, lib, null));
        return python;
    }

    @Test
    void theCpuLooksForNothingAndSaysNothing() throws IOException {
        FakeHost host = new FakeHost();
        host.driver = true;
        python(host, "a", "2.7.1+cu128", "12.8", tmp.resolve("x"));
        LibtorchSetup.Plan cpu = LibtorchSetup.plan("cpu", host);
        assertEquals(Map.of(), cpu.engineEnvironment());
        assertEquals(List.of(), cpu.notes());
        assertFalse(cpu.failed());
        host.driver = false; // auto without an NVIDIA driver: the CPU, at once
        LibtorchSetup.Plan auto = LibtorchSetup.plan("auto", host);
        assertEquals(List.of(), auto.notes());
        assertEquals(Map.of(), auto.engineEnvironment());
        assertTrue(host.asked.isEmpty(), "no python asked: " + host.asked);
    }

    @Test
    void everyRejectedCandidateIsNamedWithItsReason() throws IOException {
        FakeHost host = new FakeHost();
        host.driver = true;
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        host.env.put(LibtorchSetup.LIBRARY_PATH, empty.toString());
        Path old = python(host, "old", "2.5.1+cu124", "12.4", tmp.resolve("old"));
        Path cpuOnly = python(host, "cpu", "2.7.1+cpu", null, tmp.resolve("cpu"));
        Path noLibs = python(host, "nolibs", "2.7.1+cu128", "12.8", Files.createDirectories(tmp.resolve("nolibs")));
        Path noGpu = python(host, "nogpu", "2.7.1+cu128", "12.8",
                LibtorchFolders.pipTorch(tmp.resolve("nogpu"), "2.7.1+cu128", "12.8", true));
        host.probe = e -> new EngineProbe.Result("2.7.1", 0, e.get(LibtorchSetup.LIBRARY_PATH), null);

        LibtorchSetup.Plan gpu = LibtorchSetup.plan("gpu", host);
        assertTrue(gpu.failed());
        String error = gpu.error();
        assertFalse(error.contains("\n"), "one line: " + error);
        assertTrue(error.startsWith("--device gpu: no usable CUDA libtorch 2.7.1 ("), error);
        assertTrue(error.contains("PYTORCH_LIBRARY_PATH at " + empty + ": no libtorch.so in it"), error);
        assertTrue(error.contains(old + ": torch 2.5.1+cu124, not 2.7.1"), error);
        assertTrue(error.contains(cpuOnly + ": torch 2.7.1+cpu is a CPU-only build"), error);
        assertTrue(error.contains(noLibs + " (torch 2.7.1+cu128) at " + tmp.resolve("nolibs") + ": no libtorch.so in it"),
                error);
        assertTrue(error.contains(noGpu + " (torch 2.7.1+cu128) at " + tmp.resolve("nogpu/torch/lib")
                + ": the engine loads it but sees no CUDA GPU"), error);
        assertTrue(error.endsWith("or use --device cpu"), error);
        // the probe ran on the one candidate that passed the checks, with the engine's variables
        assertEquals(List.of(Map.of(LibtorchSetup.LIBRARY_PATH, tmp.resolve("nogpu/torch/lib").toString(),
                LibtorchSetup.FLAVOR, "cu128", LibtorchSetup.VERSION, "2.7.1")), host.probed);

        // auto: the same reasons in one line, and the CPU (the empty folder passed over)
        LibtorchSetup.Plan auto = LibtorchSetup.plan("auto", host);
        assertFalse(auto.failed());
        assertTrue(auto.notes().get(0).startsWith("spsn: --device auto: on the CPU, no usable CUDA libtorch 2.7.1 ("),
                auto.notes().toString());
        assertTrue(auto.notes().get(0).contains(old + ": torch 2.5.1+cu124, not 2.7.1"));
        assertEquals(1, auto.notes().size(), "one line: " + auto.notes());
        assertTrue(auto.engineEnvironment().containsKey(LibtorchSetup.LIBRARY_PATH));
        assertNull(auto.engineEnvironment().get(LibtorchSetup.LIBRARY_PATH), "the child does not get it");
    }

    @Test
    void theFirstCandidateWhoseEngineSeesAGpuIsUsed() throws IOException {
        FakeHost host = new FakeHost();
        host.driver = true;
        Path cpuBuild = LibtorchFolders.pipTorch(tmp.resolve("user"), "2.7.1", null, false);
        host.env.put(LibtorchSetup.LIBRARY_PATH, cpuBuild.toString());
        Path broken = python(host, "broken", "2.7.1+cu128", "12.8",
                LibtorchFolders.pipTorch(tmp.resolve("broken"), "2.7.1+cu128", "12.8", true));
        Path good = python(host, "good", "2.7.1+cu128", "12.8",
                LibtorchFolders.pipTorch(tmp.resolve("good"), "2.7.1+cu128", "12.8", true));
        Path later = python(host, "later", "2.7.1+cu128", "12.8", tmp.resolve("later"));
        host.probe = e -> e.get(LibtorchSetup.LIBRARY_PATH).contains("broken")
                ? new EngineProbe.Result(null, 0, null, "the engine did not start on it (file too short)")
                : new EngineProbe.Result("2.7.1", 2, e.get(LibtorchSetup.LIBRARY_PATH), null);

        LibtorchSetup.Plan plan = LibtorchSetup.plan("gpu", host);
        assertFalse(plan.failed());
        Path lib = tmp.resolve("good/torch/lib");
        assertEquals(Map.of(LibtorchSetup.LIBRARY_PATH, lib.toString(), LibtorchSetup.FLAVOR, "cu128",
                LibtorchSetup.VERSION, "2.7.1"), plan.engineEnvironment());
        assertEquals(1, plan.notes().size());
        String note = plan.notes().get(0);
        assertTrue(note.startsWith("spsn: GPU: libtorch 2.7.1+cu128 (CUDA 12.8) from " + lib + " (" + good
                + " (torch 2.7.1+cu128)), 2 GPUs; passed over: "), note);
        assertTrue(note.contains("PYTORCH_LIBRARY_PATH at " + cpuBuild
                + ": libtorch 2.7.1 (CPU only) is a CPU-only build"), note);
        assertTrue(note.contains(broken + " (torch 2.7.1+cu128) at " + tmp.resolve("broken/torch/lib")
                + ": the engine did not start on it (file too short)"), note);
        assertFalse(host.asked.contains(later), "the search stops at the first usable one");
    }

    @Test
    void aUsersFolderOnTheCpuIsUsedWhenItFitsAndPassedOverWhenNot() throws IOException {
        FakeHost host = new FakeHost();
        Path fits = LibtorchFolders.pipTorch(tmp.resolve("fits"), "2.7.1", null, false);
        host.env.put(LibtorchSetup.LIBRARY_PATH, fits.toString());
        LibtorchSetup.Plan used = LibtorchSetup.plan("cpu", host);
        assertEquals(Map.of(LibtorchSetup.LIBRARY_PATH, fits.toString(), LibtorchSetup.FLAVOR, "cpu",
                LibtorchSetup.VERSION, "2.7.1"), used.engineEnvironment());
        assertEquals(List.of("spsn: PYTORCH_LIBRARY_PATH=" + fits + ": libtorch 2.7.1 (CPU only), used on the CPU"),
                used.notes());

        Path old = LibtorchFolders.pipTorch(tmp.resolve("old"), "2.5.1", null, false);
        host.env.put(LibtorchSetup.LIBRARY_PATH, old.toString());
        LibtorchSetup.Plan passed = LibtorchSetup.plan("auto", host);
        assertEquals(List.of("spsn: PYTORCH_LIBRARY_PATH=" + old + " passed over, libtorch 2.5.1, not 2.7.1; the bundled"
                + " CPU libtorch is used"), passed.notes());
        assertNull(passed.engineEnvironment().get(LibtorchSetup.LIBRARY_PATH));
        assertTrue(passed.engineEnvironment().containsKey(LibtorchSetup.LIBRARY_PATH));
    }

    @Test
    void gpuWithoutADriverSaysSoWithoutProbing() throws IOException {
        FakeHost host = new FakeHost();
        Path cuda = LibtorchFolders.pipTorch(tmp.resolve("cuda"), "2.7.1+cu128", "12.8", true);
        host.env.put(LibtorchSetup.LIBRARY_PATH, cuda.toString());
        host.env.put("PATH", Files.createDirectories(tmp.resolve("nothing")).toString());
        LibtorchSetup.Plan plan = LibtorchSetup.plan("gpu", host);
        assertTrue(plan.failed());
        assertTrue(plan.error().contains("no NVIDIA driver loaded"), plan.error());
        assertTrue(plan.error().contains("PYTORCH_LIBRARY_PATH at " + cuda
                + ": libtorch 2.7.1+cu128 (CUDA 12.8), but no GPU to run it on"),
                plan.error());
        assertTrue(plan.error().contains("no python3 on PATH"), plan.error());
        assertTrue(host.probed.isEmpty());
    }

    @Test
    void versionsAreReadFromWhatShipsBesideTheLibraries() throws IOException {
        Path lib = LibtorchFolders.pipTorch(tmp.resolve("archive"), null, null, false);
        assertEquals("its version is unknown, no ../version.py or ../build-version beside it (set"
                + " PYTORCH_VERSION=2.7.1 if it is 2.7.1)", LibtorchFolder.inspect(lib, null, null).problem());
        assertTrue(LibtorchFolder.inspect(lib, "2.7.1", null).usable(), "the user's PYTORCH_VERSION");
        Files.writeString(tmp.resolve("archive/torch/build-version"), "2.7.1+cpu\n");
        LibtorchFolder archive = LibtorchFolder.inspect(lib, null, null);
        assertEquals("2.7.1+cpu", archive.version());
        assertTrue(archive.usable());
        assertEquals("cpu", archive.flavor());
        // DJL's own cache folder names its version
        LibtorchFolder bundled = LibtorchFolder.inspect(LibtorchFolders.bundled(), null, null);
        assertTrue(bundled.usable(), bundled.toString());
        assertEquals("2.7.1", bundled.version());
        // a CUDA build: its flavour is the JNI's cu128
        LibtorchFolder cuda = LibtorchFolder.inspect(LibtorchFolders.pipTorch(tmp.resolve("cuda"), "2.7.1+cu126",
                "12.6", true), null, null);
        assertTrue(cuda.cudaBuild(), cuda.toString());
        assertEquals("12.6", cuda.cuda());
        assertEquals("cu128", cuda.flavor());
        Files.delete(tmp.resolve("cuda/torch/lib/libc10.so"));
        assertEquals("no libc10.so in it", LibtorchFolder.inspect(tmp.resolve("cuda/torch/lib"), null, null).problem());
    }
}
