package spsn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static spsn.io.IoTestSupport.assertDataError;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import net.razorvine.pickle.Pickler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchStateDictErrorsTest {

    private static final String NOT_TORCH = "is not a PyTorch model file (expected a zip archive with data.pkl";

    @TempDir
    Path folder;

    @Test
    void missingFile() {
        Path file = folder.resolve("nope.pt");
        assertDataError(() -> TorchStateDictReader.read(file), "model file " + file, "does not exist");
    }

    @Test
    void folderInsteadOfFile() {
        assertDataError(() -> TorchStateDictReader.read(folder), folder.toString(), "is a folder");
    }

    @Test
    void randomBytesAndEmptyFile() throws IOException {
        byte[] noise = new byte[1000];
        new Random(5).nextBytes(noise);
        noise[0] = 'x';
        Path file = Files.write(folder.resolve("noise.pt"), noise);
        assertDataError(() -> TorchStateDictReader.read(file), file.toString(), NOT_TORCH);
        Path empty = Files.write(folder.resolve("empty.pt"), new byte[0]);
        assertDataError(() -> TorchStateDictReader.read(empty), empty.toString(), NOT_TORCH);
        // Starts like a zip but is not one.
        noise[0] = 'P';
        noise[1] = 'K';
        noise[2] = 3;
        noise[3] = 4;
        Path fake = Files.write(folder.resolve("fake.pt"), noise);
        assertDataError(() -> TorchStateDictReader.read(fake), fake.toString(), NOT_TORCH);
    }

    @Test
    void zipWithoutDataPkl() throws IOException {
        Path file = folder.resolve("plain.zip");
        IoTestSupport.writeZip(file, Map.of("archive/readme.txt", "hello".getBytes(StandardCharsets.UTF_8),
                "data.pkl", new byte[] {(byte) 0x80, 2, '}', '.'}));
        assertDataError(() -> TorchStateDictReader.read(file), file.toString(), NOT_TORCH);
    }

    @Test
    void garbageDataPkl() throws IOException {
        Path file = folder.resolve("garbage.pt");
        IoTestSupport.writeZip(file, Map.of("archive/data.pkl", new byte[] {(byte) 0x80, 2, (byte) 0xff, 0}));
        assertDataError(() -> TorchStateDictReader.read(file), file.toString(), "cannot read its data.pkl",
                "torch.save(model.state_dict(), path)");
    }

    @Test
    void pickleThatIsNotADict() throws IOException {
        Path file = folder.resolve("list.pt");
        byte[] pickle = new Pickler(false).dumps(List.of(1, 2));
        IoTestSupport.writeZip(file, Map.of("archive/data.pkl", pickle));
        assertDataError(() -> TorchStateDictReader.read(file), file.toString(), "not a state_dict");
    }

    @Test
    void checkpointDictWithoutTopLevelTensors() throws IOException {
        Path file = folder.resolve("checkpoint.pt");
        Map<String, Object> checkpoint = new LinkedHashMap<>();
        checkpoint.put("model", new HashMap<>());
        checkpoint.put("epoch", 3);
        IoTestSupport.writeZip(file, Map.of("archive/data.pkl", new Pickler(false).dumps(checkpoint)));
        assertDataError(() -> TorchStateDictReader.read(file), file.toString(), "holds no tensors",
                "model", "epoch");
    }

    @Test
    void missingStorageRecord() throws IOException {
        Path good = folder.resolve("good.pt");
        TorchStateDictWriter.write(good, new StateDict().put("w", Tensor.of(new float[] {1f, 2f}, 2)));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(good); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                ByteArrayOutputStream content = new ByteArrayOutputStream();
                zip.transferTo(content);
                entries.put(entry.getName(), content.toByteArray());
            }
        }
        Path truncated = folder.resolve("short.pt");
        Map<String, byte[]> shortData = new LinkedHashMap<>(entries);
        shortData.put("archive/data/0", new byte[] {0, 0, (byte) 0x80});
        IoTestSupport.writeZip(truncated, shortData);
        assertDataError(() -> TorchStateDictReader.read(truncated), truncated.toString(), "is damaged",
                "archive/data/0 has 3 bytes but needs 8");

        entries.remove("archive/data/0");
        Path missing = folder.resolve("missing.pt");
        IoTestSupport.writeZip(missing, entries);
        assertDataError(() -> TorchStateDictReader.read(missing), missing.toString(), "is damaged",
                "storage archive/data/0 is missing");
    }

    @Test
    void writerRefusesToOverwrite() throws IOException {
        Path file = Files.write(folder.resolve("exists.pt"), new byte[] {1, 2, 3});
        StateDict dict = new StateDict().put("w", Tensor.of(new float[] {1f}, 1));
        assertDataError(() -> TorchStateDictWriter.write(file, dict), file.toString(), "already exists");
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
    }
}
