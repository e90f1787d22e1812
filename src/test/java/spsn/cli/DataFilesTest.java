package spsn.cli;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HDF5 files as users have them (fixtures written by h5py: src/test/resources/cli/
 * make_cli_fixtures.py): checksums verified, filters jHDF cannot decode named with how to
 * repack, unreadable files and links named as such, uint64 labels read, and the class names
 * of the two splits compared as names.
 */
class DataFilesTest {

    @TempDir
    Path tmp;

    private Path data() throws IOException {
        return Files.createDirectories(tmp.resolve("data"));
    }

    private Cli.Result trainOn(String trainFixture, String testFixture) throws IOException {
        Path data = data();
        if (trainFixture != null) {
            Files.copy(Cli.resource(trainFixture), data.resolve("shd_train.h5"));
        }
        Files.copy(Cli.resource(testFixture), data.resolve("shd_test.h5"));
        return train(data);
    }

    private Cli.Result train(Path data) {
        return Cli.run("--data_dir", data.toString(), "--output_dir", tmp.resolve("out").toString(),
                "--hidden_size", "8", "--batch_size", "4", "--nb_epochs", "1", "--progress", "False");
    }

    private String trainFile() {
        return tmp.resolve("data").resolve("shd_train.h5").toString();
    }

    @Test
    void aFletcher32ChecksumMismatchIsADataError() throws IOException {
        trainOn("cli/checksum_bad_label.h5", "cli/resume_test.h5").assertError(1, trainFile(),
                "/labels fails its Fletcher32 checksum", "damaged", "download it again");
    }

    @Test
    void anIntactFletcher32FileIsRead() throws IOException {
        Cli.Result result = trainOn("cli/checksum_ok.h5", "cli/resume_test.h5").assertOk();
        org.junit.jupiter.api.Assertions.assertEquals("", result.err(), "no library warning on stderr");
    }

    @Test
    void shuffleOnVariableLengthDataIsNamedWithHowToRepack() throws IOException {
        trainOn("cli/filter_shuffle.h5", "cli/resume_test.h5").assertError(1, trainFile(),
                "/spikes/times is stored with the shuffle filter on variable-length data", "cannot decode",
                "h5repack -f NONE " + trainFile());
    }

    @Test
    void lzfOnVariableLengthDataIsNamedWithHowToRepack() throws IOException {
        trainOn("cli/filter_lzf.h5", "cli/resume_test.h5").assertError(1, trainFile(),
                "is stored with the LZF filter on variable-length data", "h5repack -f NONE");
    }

    @Test
    void scaleOffsetLabelsAreNamedWithHowToRepack() throws IOException {
        trainOn("cli/filter_scaleoffset.h5", "cli/resume_test.h5").assertError(1, trainFile(),
                "/labels is stored with the HDF5 filter 'scaleoffset' (id 6)", "h5repack -f NONE");
    }

    @Test
    void uint64LabelsAreRead() throws IOException {
        trainOn("cli/labels_uint64.h5", "cli/resume_test.h5").assertOk();
    }

    @Test
    void aSymlinkLoopIsNamedAsSuch() throws IOException {
        Path data = data();
        Files.copy(Cli.resource("cli/resume_test.h5"), data.resolve("shd_test.h5"));
        Files.createSymbolicLink(data.resolve("shd_train.h5"), Path.of("loop.h5"));
        Files.createSymbolicLink(data.resolve("loop.h5"), Path.of("shd_train.h5"));
        train(data).assertError(1, trainFile(), "symbolic link that cannot be followed", "loop");
    }

    @Test
    void aDanglingSymlinkNamesItsTarget() throws IOException {
        Path data = data();
        Files.copy(Cli.resource("cli/resume_test.h5"), data.resolve("shd_test.h5"));
        Files.createSymbolicLink(data.resolve("shd_train.h5"), Path.of("/nowhere/shd_train.h5"));
        train(data).assertError(1, trainFile(), "symbolic link that cannot be followed",
                "its target /nowhere/shd_train.h5 does not exist");
    }

    /** Root may read any file (permissions do not apply to it), so this runs only as another user. */
    @Test
    void aFileThisUserMayNotReadIsNamedAsSuch() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")),
                "running as root, who may read any file whatever its permissions");
        Path data = data();
        Files.copy(Cli.resource("cli/resume_test.h5"), data.resolve("shd_test.h5"));
        Path train = Files.copy(Cli.resource("cli/resume_train.h5"), data.resolve("shd_train.h5"));
        Files.setPosixFilePermissions(train, PosixFilePermissions.fromString("---------"));
        train(data).assertError(1, trainFile(), "permission denied", "fix its permissions");
    }

    @Test
    void classNamesInAnotherOrderAreRefusedNamingBothLists() throws IOException {
        trainOn("cli/resume_train.h5", "cli/test_classes_reordered.h5").assertError(1,
                tmp.resolve("data").resolve("shd_test.h5") + ": its class names differ from those of " + trainFile(),
                "the same 20 names in another order", "test [english one, english zero,",
                "train [english zero, english one,");
    }

    @Test
    void aTestSplitThatLacksTheHighestClassIsFine() throws IOException {
        trainOn("cli/train_nokeys.h5", "cli/test_nokeys_fewer.h5").assertOk();
    }
}
