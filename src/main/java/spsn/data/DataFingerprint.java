package spsn.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 of a dataset's content as the network sees it: every sample's label, spike count,
 * time bins and units, in order. A checkpoint keeps one per split so that a resume on other
 * data (same size or not) is refused instead of silently trained and tested under the old run.
 */
public final class DataFingerprint {

    private DataFingerprint() {
    }

    /** The fingerprint of {@code data}, as 64 hex digits. */
    public static String of(SpikeDataset data) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(data.size()).putInt(data.nbChannels());
        for (SpikeSample sample : data.samples()) {
            flushIfFull(sha, buffer, 8);
            buffer.putInt(sample.label()).putInt(sample.spikeCount());
            int[] bins = sample.bins();
            short[] units = sample.units();
            for (int i = 0; i < bins.length; i++) {
                flushIfFull(sha, buffer, 6);
                buffer.putInt(bins[i]).putShort(units[i]);
            }
        }
        buffer.flip();
        sha.update(buffer);
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void flushIfFull(MessageDigest sha, ByteBuffer buffer, int needed) {
        if (buffer.remaining() < needed) {
            buffer.flip();
            sha.update(buffer);
            buffer.clear();
        }
    }
}
