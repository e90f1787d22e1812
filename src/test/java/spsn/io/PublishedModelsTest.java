package spsn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import spsn.SharedModels;

/** The original authors' published models in ../shared/models (skipped when absent: {@link SharedModels}). */
class PublishedModelsTest {

    private static final List<String> SPIKING_KEYS = List.of("0.fc.weight", "0.fc.bias", "1.fc.weight",
            "1.fc.bias", "2.fc.weight", "2.fc.bias", "3.fc.weight", "3.fc.bias");
    private static final List<String> NON_SPIKING_KEYS = List.of("0.weight", "0.bias", "2.weight",
            "2.bias", "4.weight", "4.bias", "6.weight", "6.bias");
    private static final long[][] SHAPES = {{128, 700}, {128}, {128, 128}, {128}, {128, 128}, {128}, {20, 128}, {20}};

    @Test
    void everyPublishedModelLoadsWithTheNetworksKeysAndShapes() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SharedModels.require())) {
            files = walk.filter(p -> p.getFileName().toString().endsWith(".pt")).sorted().toList();
        }
        assertEquals(10, files.size(), "model files found: " + files);
        for (Path file : files) {
            StateDict dict = TorchStateDictReader.read(file);
            boolean nonSpiking = file.getFileName().toString().contains("Non-Spiking");
            List<String> keys = nonSpiking ? NON_SPIKING_KEYS : SPIKING_KEYS;
            assertEquals(keys, dict.keys(), file.toString());
            for (int i = 0; i < keys.size(); i++) {
                Tensor tensor = dict.require(keys.get(i), SHAPES[i]);
                assertArrayEquals(SHAPES[i], tensor.shape());
                assertTrained(file, keys.get(i), tensor);
            }
        }
    }

    /** Trained weights are finite and not all equal (catches reading the wrong bytes). */
    private static void assertTrained(Path file, String key, Tensor tensor) {
        float[] data = tensor.data();
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float value : data) {
            assertTrue(Float.isFinite(value), file + " " + key + " has a non-finite value");
            assertTrue(Math.abs(value) < 100, file + " " + key + " has implausible value " + value);
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        assertTrue(max > min, file + " " + key + " is constant");
    }
}
