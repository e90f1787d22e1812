package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionCliTest {

    /** The tool's, DJL's and libtorch's versions and the device, each on its own line. */
    @Test
    void versionNamesToolDjlLibtorchAndDevice() {
        Cli.Result result = Cli.run("--version").assertOk();
        List<String> lines = result.out().lines().toList();
        assertEquals("", result.err());
        assertEquals(4, lines.size(), result.out());
        assertEquals("spsn-java " + Version.current(), lines.get(0));
        assertEquals("DJL " + Engine.getDjlVersion(), lines.get(1));
        assertTrue(lines.get(1).matches("DJL \\d+\\.\\d+\\.\\d+.*"), lines.get(1));
        Engine engine = Engine.getEngine("PyTorch");
        assertEquals("libtorch " + engine.getVersion() + " (DJL PyTorch engine)", lines.get(2));
        assertTrue(lines.get(2).matches("libtorch \\d+\\.\\d+\\.\\d+ .*"), lines.get(2));
        String device = engine.getGpuCount() > 0 ? "device gpu(0)" : "device cpu (the engine sees no CUDA GPU)";
        assertTrue(lines.get(3).startsWith(device), lines.get(3) + " should start with " + device);
    }
}
