package spsn.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import spsn.SpsnException;

/**
 * Writes a {@link StateDict} as {@code torch.save(state_dict, path)} does, so that
 * {@code torch.load} (PyTorch 1.6 and later) reads it: a zip archive of uncompressed records
 * {@code archive/data.pkl}, {@code archive/byteorder}, {@code archive/data/0..n-1} (one
 * little-endian float32 storage per tensor, starting at a multiple of 64 bytes like torch's own
 * writer, so it can be memory-mapped) and {@code archive/version}.
 */
public final class TorchStateDictWriter {

    private static final String FOLDER = "archive/";
    private static final int ALIGNMENT = 64;
    /** Zip local file header size before the name and extra field. */
    private static final int LOCAL_HEADER = 30;
    /** Extra-field id torch uses for its alignment padding ("FB"). */
    private static final int PADDING_ID = 'F' | ('B' << 8);
    /**
     * Fixed entry time, so equal dicts give equal files: near the zip epoch as torch writes, but
     * not exactly 1980-01-01 00:00, for which ZipEntry adds an extended-timestamp extra field.
     */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0, 2);

    private TorchStateDictWriter() {
    }

    /**
     * Writes {@code dict} to {@code file}, atomically; creates missing parent folders.
     *
     * @throws SpsnException (data) when the file already exists or cannot be written
     */
    public static void write(Path file, StateDict dict) {
        Objects.requireNonNull(dict, "dict");
        AtomicFiles.writeNew(file, out -> writeArchive(out, dict));
    }

    private static void writeArchive(OutputStream sink, StateDict dict) throws IOException {
        CountingOutputStream counted = new CountingOutputStream(sink);
        ZipOutputStream zip = new ZipOutputStream(counted);
        putStored(zip, counted, FOLDER + "data.pkl", TorchPickler.pickle(dict));
        putStored(zip, counted, FOLDER + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        List<String> keys = dict.keys();
        for (int i = 0; i < keys.size(); i++) {
            putStored(zip, counted, FOLDER + "data/" + i, littleEndian(dict.get(keys.get(i)).data()));
        }
        putStored(zip, counted, FOLDER + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
        zip.finish();
    }

    /** Adds an uncompressed entry whose data starts at a multiple of {@link #ALIGNMENT}. */
    private static void putStored(ZipOutputStream zip, CountingOutputStream counted, String name, byte[] content)
            throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        entry.setCompressedSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        entry.setTimeLocal(ENTRY_TIME);
        int nameLength = name.getBytes(StandardCharsets.UTF_8).length;
        entry.setExtra(padding(counted.count() + LOCAL_HEADER + nameLength));
        zip.putNextEntry(entry);
        if (counted.count() % ALIGNMENT != 0) {
            throw new IllegalStateException("zip entry " + name + " data starts at unaligned offset " + counted.count());
        }
        zip.write(content);
        zip.closeEntry();
    }

    /** An extra field that moves data starting at {@code dataStart} to the next aligned offset. */
    private static byte[] padding(long dataStart) {
        int length = (int) ((ALIGNMENT - dataStart % ALIGNMENT) % ALIGNMENT);
        if (length == 0) {
            return null;
        }
        if (length < 4) {
            length += ALIGNMENT; // an extra field needs at least its 4-byte header
        }
        ByteBuffer extra = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        extra.putShort((short) PADDING_ID).putShort((short) (length - 4));
        return extra.array();
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(Math.multiplyExact(values.length, Float.BYTES))
                .order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return bytes.array();
    }

    /** Counts bytes on their way to the file, to know where each zip entry's data starts. */
    private static final class CountingOutputStream extends FilterOutputStream {

        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        long count() {
            return count;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }
    }
}
