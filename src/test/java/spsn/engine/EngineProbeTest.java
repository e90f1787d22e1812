package spsn.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probe starts the engine in a JVM of its own on the folder it is given. */
class EngineProbeTest {

    @TempDir
    Path tmp;

    private Map<String, String> engine(Path lib, String flavor) {
        // the JNI library is extracted into a cache of the test's own, not the user's
        return Map.of(LibtorchSetup.LIBRARY_PATH, lib.toString(), LibtorchSetup.FLAVOR, flavor,
                LibtorchSetup.VERSION, "2.7.1", "DJL_CACHE_DIR", tmp.resolve("djl").toString());
    }

    @Test
    void reportsTheVersionTheFolderAndTheGpusOfTheEngineItStarted() throws Exception {
        Path lib = LibtorchFolders.pipTorch(tmp.resolve("cpu"), "2.7.1", null, false);
        EngineProbe.Result result = EngineProbe.run(engine(lib, "cpu"));
        assertTrue(result.loaded(), result.toString());
        assertEquals("2.7.1", result.version());
        assertEquals(lib.toString(), result.libtorchPath(), "the engine ran on the folder given, not its own");
        assertEquals(0, result.gpus(), "a CPU build sees no GPU");
    }

    @Test
    void aFolderTheEngineCannotLoadIsSaidWhy() throws Exception {
        // a CUDA build whose CUDA libraries are no libraries: the cu128 JNI is taken, loading fails
        Path lib = LibtorchFolders.pipTorch(tmp.resolve("cuda"), "2.7.1+cu128", "12.8", true);
        EngineProbe.Result result = EngineProbe.run(engine(lib, "cu128"));
        assertFalse(result.loaded());
        assertTrue(result.problem().startsWith("the engine did not start on it ("), result.problem());
        assertTrue(result.problem().contains("libc10_cuda.so") || result.problem().contains("libtorch_cuda.so"),
                result.problem());
    }
}
