package spsn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The --device that decides the libtorch, read from the command line as the commands read it. */
class EngineLibraryTest {

    @TempDir
    Path tmp;

    private static Optional<String> device(String... args) {
        return EngineLibrary.requestedDevice(args);
    }

    @Test
    void trainingAndBenchAskForTheirDevice() throws Exception {
        assertEquals(Optional.of("auto"), device());
        assertEquals(Optional.of("auto"), device("--neuron", "LIF", "--nb_epochs", "3"));
        assertEquals(Optional.of("cpu"), device("--device", "cpu"));
        assertEquals(Optional.of("gpu"), device("--device=gpu", "--nb_epochs", "1"));
        assertEquals(Optional.of("gpu"), device("bench", "--device", "gpu"));
        assertEquals(Optional.of("auto"), device("bench"));
        Path flags = Files.writeString(tmp.resolve("run.flags"), "# a run\n--device gpu --nb_epochs 2\n");
        assertEquals(Optional.of("gpu"), device("@" + flags));
    }

    @Test
    void otherCommandsAndBadLinesAskForNothing() {
        assertEquals(Optional.empty(), device("report", "outputs"));
        assertEquals(Optional.empty(), device("sweep", "--paper", "--dry_run"));
        assertEquals(Optional.empty(), device("--help"));
        assertEquals(Optional.empty(), device("bench", "--help"));
        assertEquals(Optional.empty(), device("--version"));
        assertEquals(Optional.empty(), device("--device", "tpu"), "the command refuses it itself");
        assertEquals(Optional.empty(), device("--no_such_flag"));
    }
}
