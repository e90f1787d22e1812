package spsn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spsn.SpsnException;

class ShdFilesTest {

    private static final FileLayout SHD = new FileLayout("shd_train.h5", null, "shd_test.h5", 700);
    private static final FileLayout WITH_VALID = new FileLayout("x_train.h5", "x_valid.h5", "x_test.h5", 700);

    /** SHD's layout names "shd" as its fetch argument, the others "ssc". */
    private static TrainTest load(Path dir, FileLayout layout) {
        return ShdFiles.load(dir, layout, layout == SHD ? "shd" : "ssc", BinningRule.SPSN);
    }

    @Test
    void missingFileSaysWhereToGetIt(@TempDir Path dir) {
        SpsnException e = assertThrows(SpsnException.class, () -> load(dir, SHD));
        assertEquals(SpsnException.DATA, e.exitCode());
        assertEquals(dir.resolve("shd_train.h5") + " not found: download it with 'datasets fetch shd --data_dir " + dir
                + "' (or add --download True to this command), or run with --dataset synthetic", e.getMessage());
    }

    @Test
    void missingTestFileIsNamed(@TempDir Path dir) throws IOException {
        Files.copy(Fixtures.shd("good_f16.h5"), dir.resolve("shd_train.h5"));
        SpsnException e = assertThrows(SpsnException.class, () -> load(dir, SHD));
        assertTrue(e.getMessage().startsWith(dir.resolve("shd_test.h5") + " not found: download"), e.getMessage());
    }

    @Test
    void loadsBothSplitsAndTheirMaxDuration(@TempDir Path dir) throws IOException {
        Files.copy(Fixtures.shd("good_f16.h5"), dir.resolve("shd_train.h5"));
        Files.copy(Fixtures.shd("good_f16.h5"), dir.resolve("shd_test.h5"));
        TrainTest tt = load(dir, SHD);
        assertEquals(6, tt.train().size());
        assertEquals(6, tt.test().size());
        assertEquals(20, tt.train().nbClasses());
        // good_f16.h5's longest sample has its last spike at 1.0 s (bin 1000).
        assertEquals(1001, tt.maxDuration());
    }

    @Test
    void splitsWithDifferentClassCountsAreRejected(@TempDir Path dir) throws IOException {
        Files.copy(Fixtures.shd("good_f16.h5"), dir.resolve("shd_train.h5"));
        Files.copy(Fixtures.shd("good_f32.h5"), dir.resolve("shd_test.h5"));
        SpsnException e = assertThrows(SpsnException.class, () -> load(dir, SHD));
        assertTrue(e.getMessage().contains("its class names differ from those of"), e.getMessage());
        assertTrue(e.getMessage().contains("test [0, 1, 2, 3, 4], train [english zero,"), e.getMessage());
    }

    @Test
    void readsTheValidationSplitOfALayoutThatHasOne(@TempDir Path dir) throws IOException {
        Files.copy(Fixtures.shd("good_f16.h5"), dir.resolve("x_train.h5"));
        Files.copy(Fixtures.shd("good_f16.h5"), dir.resolve("x_test.h5"));
        SpsnException e = assertThrows(SpsnException.class, () -> load(dir, WITH_VALID));
        assertTrue(e.getMessage().startsWith(dir.resolve("x_valid.h5") + " not found: download it with 'datasets"
                + " fetch ssc"), e.getMessage());
        Files.copy(Fixtures.shd("good_f16.h5"), dir.resolve("x_valid.h5"));
        TrainTest splits = load(dir, WITH_VALID);
        assertEquals(6, splits.valid().size());
        assertEquals(dir.resolve("x_valid.h5").toString(), splits.valid().name());
        assertEquals(null, load(dir, new FileLayout("x_train.h5", null, "x_test.h5", 700)).valid());
    }

    @Test
    void unitsAreCheckedAgainstTheLayoutsChannels(@TempDir Path dir) throws IOException {
        Files.copy(Fixtures.shd("good_f16.h5"), dir.resolve("shd_train.h5"));
        Files.copy(Fixtures.shd("good_f16.h5"), dir.resolve("shd_test.h5"));
        SpsnException e = assertThrows(SpsnException.class,
                () -> load(dir, new FileLayout("shd_train.h5", null, "shd_test.h5", 8)));
        assertTrue(e.getMessage().contains("is outside 0..7; the dataset has 8 input channels"), e.getMessage());
    }
}
