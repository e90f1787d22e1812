package spsn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import spsn.SpsnException;

class ShdReaderTest {

    /** Bins, units and labels as computed by numpy in the fixture script (float16 and float32 times). */
    @ParameterizedTest
    @ValueSource(strings = {"good_f16.h5", "good_f32.h5"})
    void readsSamplesAsTheReferenceBinsThem(String name) {
        JsonNode expected = Fixtures.json("good_expected.json").get(name);
        SpikeDataset ds = ShdReader.read(Fixtures.shd(name), BinningRule.SPSN, 700);

        assertEquals(700, ds.nbChannels());
        List<String> names = new ArrayList<>();
        expected.get("classNames").forEach(n -> names.add(n.asText()));
        assertEquals(names, ds.classNames());
        JsonNode samples = expected.get("samples");
        assertEquals(samples.size(), ds.size());
        for (int i = 0; i < ds.size(); i++) {
            SpikeSample s = ds.get(i);
            int[] bins = Fixtures.ints(samples.get(i).get("bins"));
            int[] units = Fixtures.ints(samples.get(i).get("units"));
            assertArrayEquals(bins, s.bins(), name + " sample " + i + " bins");
            int[] actualUnits = new int[s.spikeCount()];
            for (int k = 0; k < actualUnits.length; k++) {
                actualUnits[k] = s.unit(k);
            }
            assertArrayEquals(units, actualUnits, name + " sample " + i + " units");
            assertEquals(samples.get(i).get("label").asInt(), s.label());
            assertEquals(bins[bins.length - 1] + 1, s.length());
        }
    }

    @Test
    void float16TimesAreDividedInFloat16AsNumpyDoes() {
        // The stored 1 ms is float16(0.001) = 0.0010004; numpy divides it by float16(1e-3), the
        // same value, so it lands in bin 1 (a float32 division by 0.001f would give 1.0004: bin 2).
        SpikeSample first = ShdReader.read(Fixtures.shd("good_f16.h5"), BinningRule.SPSN, 700).get(0);
        assertEquals(0, first.bins()[0]);
        assertEquals(1, first.bins()[1]);
        // ParaLIF's rule on the same file: floor instead of ceil.
        SpikeSample floor = ShdReader.read(Fixtures.shd("good_f16.h5"), BinningRule.paralif(1e-3), 700).get(0);
        assertEquals(1, floor.bins()[1]);
        assertEquals(1, floor.bins()[2], "0.0010001 is stored as 0.0010004 too");
        assertEquals(99, floor.bins()[8], "float16(0.1) = 0.099976: 99.9 in float16 arithmetic, floor 99");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bad_unit700.h5|sample 2: unit 700 (spike 1) is outside 0..699",
        "bad_negative_time.h5|sample 1: time -0.5 (spike 0)",
        "bad_nan_time.h5|sample 3: time NaN (spike 0)",
        "bad_inf_time.h5|sample 0: time Infinity (spike 2)",
        "bad_huge_time.h5|sample 1: time 500.0 s (spike 1) falls in bin 500000, beyond the limit of 100000 bins",
        "bad_f16_overflow_time.h5|sample 1: time 70.0 s (spike 1) divided by the 0.001 s bin width overflows float16",
        "bad_label.h5|sample 2: label 20 is outside 0..19",
        "bad_sample_lengths.h5|sample 1: 5 times but 4 units",
        "bad_entry_counts.h5|3 samples in /spikes/times, 3 in /spikes/units and 2 in /labels",
        "bad_missing_labels.h5|dataset /labels is missing",
        "bad_empty_sample.h5|sample 2: has no spikes",
        "bad_no_samples.h5|contains no samples",
        "not_hdf5.h5|cannot read it as HDF5",
        "truncated.h5|cannot read it as HDF5",
    })
    void rejectsBadFilesWithOneLineNamingFileAndSample(String name, String detail) {
        Path file = Fixtures.shd(name);
        SpsnException e = assertThrows(SpsnException.class, () -> ShdReader.read(file, BinningRule.SPSN, 700));
        assertEquals(SpsnException.DATA, e.exitCode());
        String msg = e.getMessage();
        assertTrue(msg.startsWith(file + ": "), msg);
        assertTrue(msg.contains(detail), msg);
        assertFalse(msg.contains("\n"), msg);
    }

    @Test
    void missingFileAndFolderAreReported(@TempDir Path dir) {
        Path missing = dir.resolve("nothing.h5");
        SpsnException e = assertThrows(SpsnException.class, () -> ShdReader.read(missing, BinningRule.SPSN, 700));
        assertEquals(missing + ": file not found", e.getMessage());
        e = assertThrows(SpsnException.class, () -> ShdReader.read(dir, BinningRule.SPSN, 700));
        assertTrue(e.getMessage().startsWith(dir + ": is not a regular file"), e.getMessage());
    }
}
