package spsn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static spsn.io.IoTestSupport.assertDataError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path folder;

    private List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    @Test
    void writeCreatesParentFoldersAndLeavesOnlyTheTarget() throws IOException {
        Path target = folder.resolve("a/b/out.txt");
        AtomicFiles.writeString(target, "héllo\n");
        assertEquals("héllo\n", Files.readString(target, StandardCharsets.UTF_8));
        assertEquals(List.of(target), filesIn(target.getParent()));
    }

    @Test
    void writeReplacesAnExistingFile() throws IOException {
        Path target = Files.writeString(folder.resolve("out.txt"), "old");
        AtomicFiles.write(target, out -> {
            out.write("new".getBytes(StandardCharsets.UTF_8));
            out.close(); // a body may close its stream; the commit must still work
        });
        assertEquals("new", Files.readString(target));
        assertEquals(List.of(target), filesIn(folder));
    }

    @Test
    void writeNewRefusesAnExistingFile() throws IOException {
        Path target = Files.writeString(folder.resolve("taken.txt"), "keep");
        assertDataError(() -> AtomicFiles.writeNew(target, out -> out.write(1)), target.toString(), "already exists");
        assertEquals("keep", Files.readString(target));
        assertEquals(List.of(target), filesIn(folder));
        Path fresh = folder.resolve("fresh.bin");
        AtomicFiles.writeNew(fresh, out -> out.write(new byte[] {9, 8}));
        assertEquals(2, Files.size(fresh));
    }

    @Test
    void failingBodyLeavesNoTemporaryFileAndKeepsTheOldContent() throws IOException {
        Path target = Files.writeString(folder.resolve("out.txt"), "old");
        assertDataError(() -> AtomicFiles.write(target, out -> {
            out.write(new byte[4096]);
            throw new IOException("disk full");
        }), target.toString(), "disk full");
        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), filesIn(folder));

        Path fresh = folder.resolve("never.txt");
        IllegalStateException bug = new IllegalStateException("bug");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> AtomicFiles.writeNew(fresh, out -> {
            out.write(1);
            throw bug;
        })));
        assertFalse(Files.exists(fresh));
        assertEquals(List.of(target), filesIn(folder));
    }

    @Test
    void unwritableLocationIsADataError() throws IOException {
        Path blocker = Files.writeString(folder.resolve("file"), "x");
        Path target = blocker.resolve("inside.txt");
        assertDataError(() -> AtomicFiles.writeString(target, "y"), "cannot write " + target);
    }
}
