package spsn.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spsn.SpsnException;

/**
 * When a process loads the library that gives MKL's Intel kernels to other makers' CPUs, and how
 * it is written out: once, whole, where other versions' copies cannot collide. What the library
 * does to MKL is spsn.cli.MklIntelKernelsTest's.
 */
class MklCodePathsTest {

    private static final Optional<String> AMD = Optional.of("AuthenticAMD");
    private static final Optional<String> INTEL = Optional.of("GenuineIntel");

    @TempDir
    Path tmp;

    @Test
    void autoPreloadsOnLinuxX86CpusOfOtherMakersOnly() {
        assertTrue(MklCodePaths.wanted(Map.of(), "Linux", "amd64", AMD));
        assertTrue(MklCodePaths.wanted(Map.of(), "Linux", "amd64", Optional.of("HygonGenuine")));
        assertFalse(MklCodePaths.wanted(Map.of(), "Linux", "amd64", INTEL), "MKL takes its Intel kernels there");
        assertFalse(MklCodePaths.wanted(Map.of(), "Linux", "amd64", Optional.empty()), "maker unknown");
        assertFalse(MklCodePaths.wanted(Map.of(), "Linux", "aarch64", AMD));
        assertFalse(MklCodePaths.wanted(Map.of(), "Mac OS X", "x86_64", AMD));
    }

    @Test
    void yesAndNoOverrule() {
        Map<String, String> yes = Map.of(MklCodePaths.CHOICE, "yes");
        Map<String, String> no = Map.of(MklCodePaths.CHOICE, " NO ");
        assertTrue(MklCodePaths.wanted(yes, "Linux", "amd64", INTEL));
        assertTrue(MklCodePaths.wanted(yes, "Linux", "x86_64", Optional.empty()));
        assertFalse(MklCodePaths.wanted(yes, "Linux", "aarch64", INTEL), "no MKL library for that architecture");
        assertFalse(MklCodePaths.wanted(no, "Linux", "amd64", AMD));
    }

    @Test
    void anotherValueIsAUsageErrorNamingTheVariable() {
        SpsnException e = assertThrows(SpsnException.class,
                () -> MklCodePaths.wanted(Map.of(MklCodePaths.CHOICE, "avx512"), "Linux", "amd64", AMD));
        assertEquals(SpsnException.USAGE, e.exitCode());
        assertEquals("SPSN_MKL_INTEL_PATHS=avx512: unknown value; use auto, yes or no", e.getMessage());
    }

    @Test
    void theMakerIsCpuinfosFirstVendorId() {
        List<String> cpuinfo = List.of("processor\t: 0", "vendor_id\t: AuthenticAMD", "cpu family\t: 25",
                "processor\t: 1", "vendor_id\t: GenuineIntel");
        assertEquals(AMD, MklCodePaths.vendor(cpuinfo));
        assertEquals(Optional.empty(), MklCodePaths.vendor(List.of("processor\t: 0", "model name\t: ARMv8")));
    }

    @Test
    void theLibraryIsWrittenOnceWholeAndReadableByAll() throws IOException {
        Path cache = tmp.resolve("cache");
        Path library = MklCodePaths.install(cache);
        assertEquals(MklCodePaths.LIBRARY, library.getFileName().toString());
        assertTrue(library.getParent().getFileName().toString().matches("mkl-[0-9a-f]{16}"), library.toString());
        assertArrayEquals(shipped(), Files.readAllBytes(library));
        assertEquals(List.of(library), listed(library.getParent()), "no partial file left beside it");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(library)));
        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(library, written);
        assertEquals(library, MklCodePaths.install(cache));
        assertEquals(written, Files.getLastModifiedTime(library), "a copy that is there is not written again");
    }

    @Test
    void aCacheThatCannotTakeItFails() throws IOException {
        Path blocked = Files.writeString(tmp.resolve("a-file"), "not a folder");
        assertThrows(IOException.class, () -> MklCodePaths.install(blocked));
    }

    @Test
    void aCacheThatCannotTakeItIsOneNoteAndTheRunGoesOn() throws IOException {
        Path blocked = Files.writeString(tmp.resolve("a-file"), "not a folder");
        StringWriter notes = new StringWriter();
        assertEquals(Optional.empty(), MklCodePaths.chosen(Map.of(MklCodePaths.CHOICE, "yes"), "Linux", "amd64", AMD,
                blocked, new PrintWriter(notes, true)), "nothing to load");
        String note = notes.toString();
        assertTrue(note.startsWith("spsn: note: MKL keeps its generic kernels on this AuthenticAMD CPU: cannot write"
                + " its library under " + blocked + " ("), note);
        assertTrue(note.endsWith("set DJL_CACHE_DIR to a writable folder, or SPSN_MKL_INTEL_PATHS=no to keep this"
                + " quiet" + System.lineSeparator()), note);
        assertEquals(1, note.lines().count(), note);
    }

    @Test
    void whereChosenItIsWrittenWithoutANote() throws IOException {
        StringWriter notes = new StringWriter();
        PrintWriter err = new PrintWriter(notes, true);
        Path cache = tmp.resolve("cache");
        assertEquals(Optional.of(MklCodePaths.install(cache)), MklCodePaths.chosen(Map.of(), "Linux", "amd64", AMD,
                cache, err));
        assertEquals(Optional.empty(), MklCodePaths.chosen(Map.of(), "Linux", "amd64", INTEL, cache, err));
        assertEquals("", notes.toString());
    }

    @Test
    void theTestJvmHasItWhereTheToolWould() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "needs Linux /proc");
        boolean tool = MklCodePaths.wanted(System.getenv(), System.getProperty("os.name"), System.getProperty("os.arch"),
                MklCodePaths.vendor());
        assertEquals(tool, MklCodePaths.loadedHere(), "ToolsMklKernels loads it before the first test, as Main does");
    }

    @Test
    void theShippedLibraryIsASharedObjectForX86() throws IOException {
        byte[] elf = shipped();
        assertArrayEquals(new byte[] {0x7f, 'E', 'L', 'F', 2, 1}, java.util.Arrays.copyOf(elf, 6),
                "a 64-bit little-endian ELF file");
        assertEquals(3, elf[16], "ET_DYN: a shared object");
        assertEquals(62, elf[18], "EM_X86_64");
    }

    private static byte[] shipped() throws IOException {
        try (InputStream in = MklCodePaths.class.getResourceAsStream(MklCodePaths.RESOURCE)) {
            assertTrue(in != null, MklCodePaths.RESOURCE + " is in the jar's resources");
            return in.readAllBytes();
        }
    }

    private static List<Path> listed(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.toList();
        }
    }
}
