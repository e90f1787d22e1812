package spsn.data.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spsn.SpsnException;
import spsn.data.BinningRule;
import spsn.data.FileLayout;
import spsn.data.SpikeSample;
import spsn.data.SyntheticDataset;
import spsn.data.TrainTest;
import spsn.data.fetch.DatasetSources;
import spsn.data.fetch.RemoteFile;

class DatasetsTest {

    @Test
    void namesAndAliasesResolve() {
        assertSame(Datasets.SHD, Datasets.byName("--dataset", "heidelberg"));
        assertSame(Datasets.SHD, Datasets.byName("--dataset", "SHD"));
        assertSame(Datasets.SSC, Datasets.byName("--dataset", "ssc"));
        assertSame(Datasets.SYNTHETIC_SSC, Datasets.byName("--dataset", "synthetic-ssc"));
        SpsnException e = assertThrows(SpsnException.class, () -> Datasets.byName("--dataset", "mnist"));
        assertEquals(SpsnException.USAGE, e.exitCode());
        assertEquals("--dataset: unknown dataset 'mnist'; choose heidelberg, ssc, synthetic, synthetic-ssc"
                + " or synthetic-order",
                e.getMessage());
    }

    @Test
    void heidelbergDatasetsMatchTheirPublication() {
        assertEquals(new DatasetSpec.Sizes(75_466, 9_981, 20_382), Datasets.SSC.sizes());
        assertEquals(35, Datasets.SSC.nbClasses());
        assertEquals(new FileLayout("ssc_train.h5", "ssc_valid.h5", "ssc_test.h5", 700), Datasets.SSC.files());
        assertTrue(Datasets.SSC.hasValidSplit());
        assertEquals(20, Datasets.SHD.nbClasses());
        assertEquals(700, Datasets.SHD.nbChannels());
        assertTrue(!Datasets.SHD.hasValidSplit());
        // Every file a dataset reads is one the fetch table can bring.
        for (DatasetSpec d : Datasets.all()) {
            if (d.generated()) {
                continue;
            }
            List<String> targets = DatasetSources.files(d.fetchName()).stream().map(RemoteFile::target).toList();
            assertTrue(targets.contains(d.files().trainFile()) && targets.contains(d.files().testFile()), d.name());
            assertTrue(d.files().validFile() == null || targets.contains(d.files().validFile()), d.name());
        }
    }

    @Test
    void sscShapedSyntheticSetHas35ClassesAndAValidationSplit() {
        TrainTest data = Datasets.SYNTHETIC_SSC.load(Path.of("unused"), BinningRule.SPSN, 7, 70, 35);
        assertEquals(35, data.train().nbClasses());
        assertEquals(700, data.train().nbChannels());
        assertEquals(70, data.train().size());
        assertEquals(35, data.valid().size());
        assertEquals(35, data.test().size());
        boolean[] seen = new boolean[35];
        data.valid().samples().forEach(s -> seen[s.label()] = true);
        for (boolean b : seen) {
            assertTrue(b, "every class in the validation split");
        }
        assertNull(Datasets.SYNTHETIC.load(Path.of("unused"), BinningRule.SPSN, 7, 40, 20).valid());
    }

    @Test
    void aValidationStreamLeavesTrainAndTestAsTheyWere() {
        TrainTest plain = SyntheticDataset.generate(11, 30, 12);
        TrainTest withValid = SyntheticDataset.generate("synthetic", 11, 20, 30, 9, 12);
        for (int i = 0; i < 30; i++) {
            assertSameSample(plain.train().get(i), withValid.train().get(i));
        }
        for (int i = 0; i < 12; i++) {
            assertSameSample(plain.test().get(i), withValid.test().get(i));
        }
    }

    @Test
    void aFileWithMoreClassesThanTheDatasetIsRefused(@TempDir Path dir) throws IOException, URISyntaxException {
        Path good = Path.of(DatasetsTest.class.getResource("/shd/good_f16.h5").toURI());
        Files.copy(good, dir.resolve("a_train.h5"));
        Files.copy(good, dir.resolve("a_test.h5"));
        DatasetSpec five = new DatasetSpec("five", List.of(), "a five-class set", "five",
                new FileLayout("a_train.h5", null, "a_test.h5", 700), 700, 5, new DatasetSpec.Sizes(6, 0, 6));
        SpsnException e = assertThrows(SpsnException.class, () -> five.load(dir, BinningRule.SPSN, 0, 1, 1));
        assertTrue(e.getMessage().contains("has 20 classes but a five-class set has 5"), e.getMessage());
    }

    private static void assertSameSample(SpikeSample a, SpikeSample b) {
        assertArrayEquals(a.bins(), b.bins());
        assertArrayEquals(a.units(), b.units());
        assertEquals(a.label(), b.label());
    }
}
