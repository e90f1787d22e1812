package spsn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.function.Executable;
import spsn.SpsnException;

/** Shared helpers of the spsn.io tests. */
final class IoTestSupport {

    private IoTestSupport() {
    }

    /** A file under src/test/resources/io. */
    static Path resource(String name) {
        URL url = IoTestSupport.class.getResource("/io/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test resource io/" + name
                    + "; regenerate with /usr/bin/python3 tools/reference/torch_state_dict.py write-fixture");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Expected tensors in the tools/reference JSON format, in file order. */
    static StateDict readExpectedJson(Path json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        StateDict dict = new StateDict(json.toString());
        for (JsonNode node : root.get("tensors")) {
            long[] shape = new long[node.get("shape").size()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = node.get("shape").get(d).asLong();
            }
            JsonNode values = node.get("values");
            float[] data = new float[values.size()];
            for (int i = 0; i < data.length; i++) {
                // Values are float32 numbers printed as doubles: the cast is exact.
                data[i] = (float) values.get(i).asDouble();
            }
            dict.put(node.get("key").asText(), Tensor.of(data, shape));
        }
        return dict;
    }

    /** Writes {@code dict} in the tools/reference JSON format (values widened exactly to double). */
    static void writeExpectedJson(Path json, StateDict dict) throws IOException {
        List<Map<String, Object>> tensors = new ArrayList<>();
        for (String key : dict.keys()) {
            Tensor tensor = dict.get(key);
            List<Double> values = new ArrayList<>();
            for (float value : tensor.data()) {
                values.add((double) value);
            }
            tensors.add(Map.of("key", key, "shape", tensor.shape(), "values", values));
        }
        new ObjectMapper().writeValue(json.toFile(), Map.of("tensors", tensors));
    }

    /** Asserts same keys in the same order and bit-identical tensors. */
    static void assertSameTensors(StateDict expected, StateDict actual) {
        assertEquals(expected.keys(), actual.keys());
        for (String key : expected.keys()) {
            Tensor want = expected.get(key);
            Tensor got = actual.get(key);
            assertArrayEquals(want.shape(), got.shape(), "shape of " + key);
            for (int i = 0; i < want.data().length; i++) {
                int wantBits = Float.floatToRawIntBits(want.data()[i]);
                int gotBits = Float.floatToRawIntBits(got.data()[i]);
                if (wantBits != gotBits) {
                    fail(key + "[" + i + "] is " + got.data()[i] + " but should be " + want.data()[i]);
                }
            }
            assertEquals(want, got, key);
        }
    }

    /** Asserts {@code action} fails with a one-line data error containing all {@code parts}. */
    static SpsnException assertDataError(Executable action, String... parts) {
        SpsnException e = assertThrows(SpsnException.class, action);
        assertEquals(SpsnException.DATA, e.exitCode());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message should contain '" + part + "': " + e.getMessage());
        }
        return e;
    }

    /** Writes a zip whose entries are the given (name, content) pairs, in order. */
    static void writeZip(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
    }
}
