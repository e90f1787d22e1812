package spsn.data;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.exceptions.HdfFilterException;
import io.jhdf.filter.PipelineFilterWithData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import spsn.SpsnException;

/**
 * Checks an HDF5 dataset before its values are read: every filter in its pipeline must be one
 * that jHDF can decode here (else the message names the filter and how to repack the file),
 * and Fletcher32 checksums, which jHDF 0.13 does not verify ("will not be verified"), are
 * verified here over each stored chunk: a mismatch is a damaged file, not a warning.
 */
final class Hdf5Integrity {

    /** HDF5 filter ids jHDF 0.13 decodes (deflate, shuffle, fletcher32, LZF, LZ4, bitshuffle). */
    private static final Map<Integer, String> DECODED = Map.of(1, "deflate (gzip)", 2, "shuffle", 3, "fletcher32",
            32000, "LZF", 32004, "LZ4", 32008, "bitshuffle");
    /** Filters jHDF can decode only with the parameters HDF5 stores for fixed-size types. */
    private static final Map<Integer, Integer> NEEDS_PARAMETERS = Map.of(2, 1, 32000, 3);
    private static final int FLETCHER32 = 3;

    private Hdf5Integrity() {
    }

    static void check(Path file, Dataset dataset) {
        String path = dataset.getPath();
        List<PipelineFilterWithData> filters;
        try {
            filters = dataset.getFilters();
        } catch (HdfFilterException e) {
            java.util.regex.Matcher named = java.util.regex.Pattern.compile("name='([^']*)' id=(\\d+)")
                    .matcher(String.valueOf(e.getMessage()));
            throw unsupported(file, path, named.find() ? "the HDF5 filter '" + named.group(1) + "' (id " + named.group(2)
                    + ")" : "an HDF5 filter that jHDF lacks (" + e.getMessage() + ")");
        }
        for (PipelineFilterWithData filter : filters) {
            int id = filter.getId();
            if (!DECODED.containsKey(id)) {
                throw unsupported(file, path, "the HDF5 filter '" + filter.getName() + "' (id " + id + ")");
            }
            Integer needed = NEEDS_PARAMETERS.get(id);
            if (needed != null && filter.getFilterData().length < needed) {
                throw unsupported(file, path, "the " + DECODED.get(id) + " filter on variable-length data");
            }
            if (id == FLETCHER32 && dataset instanceof ChunkedDataset chunked) {
                verifyFletcher32(file, path, chunked);
            }
        }
    }

    private static SpsnException unsupported(Path file, String path, String what) {
        String name = file.getFileName().toString();
        String plain = (name.endsWith(".h5") ? name.substring(0, name.length() - 3) : name) + "-plain.h5";
        return SpsnException.data(file + ": " + path + " is stored with " + what + ", which this tool's HDF5"
                + " reader (jHDF) cannot decode; the file itself may be fine: repack it without filters with"
                + " 'h5repack -f NONE " + file + " " + file.resolveSibling(plain) + "' (Debian/Ubuntu package"
                + " hdf5-tools) and use the repacked file");
    }

    private static void verifyFletcher32(Path file, String path, ChunkedDataset dataset) {
        int[] dims = dataset.getDimensions();
        int[] chunk = dataset.getChunkDimensions();
        if (dims.length != 1 || chunk.length < 1) {
            return; // the SHD layout is one-dimensional
        }
        for (int start = 0; start < dims[0]; start += chunk[0]) {
            ByteBuffer raw;
            try {
                raw = dataset.getRawChunkBuffer(new int[] {start});
            } catch (RuntimeException e) {
                continue; // a chunk never written (fill value): nothing stored to check
            }
            byte[] bytes = new byte[raw.remaining()];
            raw.duplicate().get(bytes);
            if (bytes.length < 4) {
                throw damaged(file, path, start);
            }
            int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            int computed = fletcher32(bytes, bytes.length - 4);
            // HDF5 before 1.6.3 wrote the two halves' bytes swapped; it accepts both, so do we.
            int swapped = ((computed & 0xff00ff00) >>> 8) | ((computed & 0x00ff00ff) << 8);
            if (stored != computed && stored != swapped) {
                throw damaged(file, path, start);
            }
        }
    }

    private static SpsnException damaged(Path file, String path, int start) {
        return SpsnException.data(file + ": " + path + " fails its Fletcher32 checksum (the chunk from sample "
                + start + "): the file is damaged; download it again");
    }

    /** HDF5's Fletcher32 (H5_checksum_fletcher32): big-endian 16-bit words, sums folded every 360 words. */
    static int fletcher32(byte[] data, int length) {
        long sum1 = 0;
        long sum2 = 0;
        int i = 0;
        int words = length / 2;
        while (words > 0) {
            int block = Math.min(words, 360);
            words -= block;
            for (int k = 0; k < block; k++) {
                sum1 += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
                sum2 += sum1;
                i += 2;
            }
            sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
        }
        if (length % 2 != 0) {
            sum1 += (data[i] & 0xff) << 8;
            sum2 += sum1;
            sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
        }
        sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
        sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
        return (int) ((sum2 << 16) | sum1);
    }
}
