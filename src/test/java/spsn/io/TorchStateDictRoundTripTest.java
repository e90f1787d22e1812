package spsn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchStateDictRoundTripTest {

    @TempDir
    Path folder;

    /** Random values plus the awkward ones: signed zeros, subnormals, extremes. */
    static StateDict randomDict(long seed) {
        Random random = new Random(seed);
        StateDict dict = new StateDict();
        long[][] shapes = {{7, 5}, {7}, {3, 7}, {3}, {2, 3, 4}, {}, {0, 4}, {1}};
        for (int i = 0; i < shapes.length; i++) {
            float[] data = new float[(int) Tensor.numelOf(shapes[i])];
            for (int j = 0; j < data.length; j++) {
                data[j] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(9) - 4));
            }
            dict.put(i + ".fc." + (shapes[i].length == 1 ? "bias" : "weight"), Tensor.of(data, shapes[i]));
        }
        float[] special = {-0.0f, 0.0f, Float.MIN_VALUE, -Float.MIN_NORMAL / 3, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-30f, -7.5f};
        dict.put("special.ü", Tensor.of(special, 2, 4));
        // Equal content under two keys must stay two tensors.
        dict.put("twin.a", Tensor.of(new float[] {1f, 2f}, 2));
        dict.put("twin.b", Tensor.of(new float[] {1f, 2f}, 2));
        return dict;
    }

    @Test
    void javaWrittenFileReadsBackBitExact() {
        StateDict original = randomDict(42);
        Path file = folder.resolve("sub/dir/model.pt");
        TorchStateDictWriter.write(file, original);
        StateDict read = TorchStateDictReader.read(file);
        IoTestSupport.assertSameTensors(original, read);
        assertEquals(file.toString(), read.source());
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(read.get("special.ü").data()[0]));
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary files left behind");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void archiveHasTorchLayoutWithStoredAlignedRecords() throws IOException {
        StateDict dict = randomDict(7);
        Path file = folder.resolve("layout.pt");
        TorchStateDictWriter.write(file, dict);
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            zip.stream().forEach(entry -> names.add(entry.getName()));
            assertEquals("little", new String(zip.getInputStream(zip.getEntry("archive/byteorder")).readAllBytes()));
            assertEquals("3\n", new String(zip.getInputStream(zip.getEntry("archive/version")).readAllBytes()));
            // Storage i holds tensor i as little-endian float32.
            byte[] storage0 = zip.getInputStream(zip.getEntry("archive/data/0")).readAllBytes();
            float[] first = new float[storage0.length / 4];
            ByteBuffer.wrap(storage0).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(first);
            assertArrayEquals(dict.get("0.fc.weight").data(), first);
        }
        List<String> expected = new ArrayList<>(List.of("archive/data.pkl", "archive/byteorder"));
        for (int i = 0; i < dict.size(); i++) {
            expected.add("archive/data/" + i);
        }
        expected.add("archive/version");
        assertEquals(expected, names);

        // Walk the local headers ourselves: every record stored, data at multiples of 64 bytes.
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int position = 0;
        int records = 0;
        while (bytes.getInt(position) == 0x04034b50) {
            int flags = bytes.getShort(position + 6);
            int method = bytes.getShort(position + 8);
            int size = bytes.getInt(position + 18);
            int nameLength = bytes.getShort(position + 26);
            int extraLength = bytes.getShort(position + 28);
            int dataStart = position + 30 + nameLength + extraLength;
            assertEquals(0, method, "STORED");
            assertEquals(0, flags & 8, "sizes in the local header, no data descriptor");
            assertEquals(0, dataStart % 64, "record " + records + " data offset " + dataStart);
            position = dataStart + size;
            records++;
        }
        assertEquals(expected.size(), records);
    }

    @Test
    void sameDictGivesSameBytes() throws IOException {
        Path a = folder.resolve("a.pt");
        Path b = folder.resolve("b.pt");
        TorchStateDictWriter.write(a, randomDict(3));
        TorchStateDictWriter.write(b, randomDict(3));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void keyOrderSurvivesManyKeys() {
        // Many keys in an order that any hash-based map on the way would scramble.
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            keys.add("layer" + i + ".w");
        }
        Collections.shuffle(keys, new Random(1));
        StateDict dict = new StateDict();
        for (int i = 0; i < keys.size(); i++) {
            dict.put(keys.get(i), Tensor.of(new float[] {i}, 1));
        }
        Path file = folder.resolve("many.pt");
        TorchStateDictWriter.write(file, dict);
        StateDict read = TorchStateDictReader.read(file);
        assertEquals(keys, read.keys());
        assertEquals(1499f, read.get(keys.get(1499)).data()[0]);
    }
}
