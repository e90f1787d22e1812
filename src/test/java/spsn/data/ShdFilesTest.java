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

    @Test
    void missingFileSaysWhereToGetIt(@TempDir Path dir) {
        SpsnException e = assertThrows(SpsnException.class, () -> ShdFiles.load(dir, BinningRule.SPSN));
        assertEquals(SpsnException.DATA, e.exitCode());
        assertEquals(dir.resolve("shd_train.h5") + " not found: download shd_train.h5.gz and shd_test.h5.gz from "
                + "https://zenkelab.org/resources/spiking-heidelberg-datasets-shd/ into " + dir
                + " and gunzip them, or run with --dataset synthetic", e.getMessage());
    }

    @Test
    void missingTestFileIsNamed(@TempDir Path dir) throws IOException {
        Files.copy(Fixtures.shd("good_f16.h5"), dir.resolve("shd_train.h5"));
        SpsnException e = assertThrows(SpsnException.class, () -> ShdFiles.load(dir, BinningRule.SPSN));
        assertTrue(e.getMessage().startsWith(dir.resolve("shd_test.h5") + " not found: download"), e.getMessage());
    }

    @Test
    void loadsBothSplitsAndTheirMaxDuration(@TempDir Path dir) throws IOException {
        Files.copy(Fixtures.shd("good_f16.h5"), dir.resolve("shd_train.h5"));
        Files.copy(Fixtures.shd("good_f16.h5"), dir.resolve("shd_test.h5"));
        TrainTest tt = ShdFiles.load(dir, BinningRule.SPSN);
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
        SpsnException e = assertThrows(SpsnException.class, () -> ShdFiles.load(dir, BinningRule.SPSN));
        assertTrue(e.getMessage().contains("its class names differ from those of"), e.getMessage());
        assertTrue(e.getMessage().contains("test [0, 1, 2, 3, 4], train [english zero,"), e.getMessage());
    }
}
