package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spsn.SpsnException;
import spsn.train.RunSettings;
import spsn.train.TrainingRun;

/**
 * A full disk, for real: a small tmpfs mounted by the test (we run as root here and in CI;
 * elsewhere the test is skipped, saying why) and unmounted afterwards. A folder without room
 * for the run's files is refused before epoch 1; a disk that fills up during training loses
 * nothing: the trained state is kept in a checkpoint, and --resume finishes the run.
 */
class FullDiskTest {

    @TempDir
    Path tmp;

    private Path mounted;

    /** Mounts a tmpfs of {@code size} (e.g. "1m") at tmp/disk, or skips the test. */
    private Path disk(String size) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("disk"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes()).trim();
        assumeTrue(mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0,
                "cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN): " + output);
        mounted = dir;
        return dir;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) {
            Process umount = new ProcessBuilder("umount", mounted.toString()).inheritIO().start();
            assertTrue(umount.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, umount.exitValue(), "umount " + mounted);
        }
    }

    private static RunSettings settings(Path out, int hidden, int epochs, boolean saveModel) {
        return TrainingFlags.check(List.of("--seed", "8", "--dataset", "synthetic", "--neuron", "LIF", "--nb_epochs",
                String.valueOf(epochs), "--batch_size", "16", "--hidden_size", String.valueOf(hidden), "--save_model",
                saveModel ? "True" : "False", "--output_dir", out.toString(), "--device", "cpu", "--synthetic_train",
                "32", "--synthetic_test", "16", "--progress", "False", "--checkpoint_every", "0"));
    }

    @Test
    void aFolderWithoutRoomForTheModelIsRefusedBeforeTraining() throws Exception {
        Path disk = disk("256k");
        // hidden 128: about 110 k parameters, a 0.4 MB model and 2.6 MB of checkpoint tensors
        Cli.Result result = Cli.run("--dataset", "synthetic", "--synthetic_train", "32", "--synthetic_test", "16",
                "--progress", "False", "--output_dir", disk.toString(), "--hidden_size", "128", "--nb_epochs", "1",
                "--save_model", "True").assertError(1, "output folder " + disk + " has 256 KiB free",
                "needs about", "MiB", "--output_dir");
        assertFalse(result.out().contains("Epoch 1/"), "refused before training: " + result.out());
    }

    @Test
    void aDiskThatFillsUpDuringTrainingKeepsTheTrainedRunForResume() throws Exception {
        Path disk = disk("2m");
        Path filler = disk.resolve("filler");
        AtomicInteger asked = new AtomicInteger();
        TrainingRun run = new TrainingRun(settings(disk, 16, 2, true), new PrintWriter(new StringWriter()), "test")
                .stopWhen(() -> {
                    if (asked.incrementAndGet() == 2) { // after the first batch: fill the disk
                        fill(filler);
                    }
                    return false;
                });
        SpsnException failed = assertThrows(SpsnException.class, run::run);
        String message = failed.getMessage();
        assertTrue(message.contains("cannot write " + disk), message);
        assertTrue(message.contains("the trained run (2 epochs done) is kept: free space, then finish it with --resume"),
                message);
        Matcher resume = Pattern.compile("--resume (\\S+) --output_dir (\\S+)$").matcher(message);
        assertTrue(resume.find(), "the disk is full: the checkpoint goes elsewhere, and so must the files: " + message);
        assertEquals(disk.toString(), resume.group(2));
        Path kept = Path.of(resume.group(1));
        try {
            Files.delete(filler);
            Cli.Result finished = Cli.run("--resume", kept.toString(), "--output_dir", disk.toString(), "--progress",
                    "False").assertOk();
            assertTrue(finished.out().contains("Test accuracy"), finished.out());
            assertEquals(1, Cli.files(disk, "results_LIF_", ".json").size());
            assertEquals(1, Cli.files(disk, "model_LIF_", ".pt").size());
            assertFalse(Files.exists(kept), "the kept checkpoint is retired once the run is complete");
        } finally {
            if (Files.isDirectory(kept.getParent())) {
                for (Path f : Cli.files(kept.getParent(), "", "")) {
                    Files.delete(f);
                }
                Files.delete(kept.getParent());
            }
        }
    }

    /** DJL extracts libtorch into its cache on first use: a full cache names the folder and DJL_CACHE_DIR. */
    @Test
    void aFullDjlCacheNamesTheFolderAndDjlCacheDir() throws Exception {
        Path cache = disk("1m");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "spsn.cli.Main"));
        command.addAll(Cli.SMALL);
        command.addAll(List.of("--nb_epochs", "1", "--output_dir", tmp.resolve("out").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DJL_CACHE_DIR", cache.toString());
        Process run = builder.start();
        String log = new String(run.getInputStream().readAllBytes()).trim();
        assertTrue(run.waitFor(120, TimeUnit.SECONDS));
        assertEquals(1, run.exitValue(), log);
        assertTrue(log.endsWith("cannot prepare the PyTorch native library in DJL's cache folder " + cache.resolve("pytorch")
                + " (Failed to extract PyTorch native library): make that folder writable with free space, or set"
                + " DJL_CACHE_DIR to another folder"), log);
    }

    private static void fill(Path filler) {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            // No space left: the disk is full.
        }
    }
}
