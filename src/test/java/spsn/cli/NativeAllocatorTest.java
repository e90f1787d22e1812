package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spsn.SpsnException;

/**
 * Which malloc the tuned child gets and with which variables: jemalloc when one of the candidate
 * files exists (unless SPSN_ALLOCATOR=glibc), glibc's tuned settings otherwise, the user's own
 * preloaded allocator and settings left alone, and one clear line for a choice that cannot be had.
 */
class NativeAllocatorTest {

    @TempDir
    Path tmp;

    private Path jemalloc() throws IOException {
        return Files.createFile(tmp.resolve("libjemalloc.so.2"));
    }

    private List<Path> none() {
        return List.of(tmp.resolve("absent/libjemalloc.so.2"));
    }

    @Test
    void autoTakesTheFirstInstalledJemallocAndNeverGivesPagesBack() throws IOException {
        Path installed = jemalloc();
        NativeAllocator allocator = NativeAllocator.choose(Map.of(), List.of(tmp.resolve("absent.so"), installed));
        assertEquals(NativeAllocator.Kind.JEMALLOC, allocator.kind());
        assertEquals(Map.of("LD_PRELOAD", installed.toString(),
                "MALLOC_CONF", "dirty_decay_ms:-1,muzzy_decay_ms:-1,thp:always"), allocator.childEnvironment(Map.of()));
    }

    @Test
    void theUsersPreloadsAndJemallocSettingsAreKept() throws IOException {
        Path installed = jemalloc();
        Map<String, String> env = Map.of("LD_PRELOAD", "/opt/libtrace.so", "MALLOC_CONF", "narenas:2");
        Map<String, String> child = NativeAllocator.choose(env, List.of(installed)).childEnvironment(env);
        assertEquals(installed + ":/opt/libtrace.so", child.get("LD_PRELOAD"));
        assertEquals("narenas:2", child.get("MALLOC_CONF"));
    }

    @Test
    void withoutJemallocGlibcIsTunedWithHugePages() {
        NativeAllocator allocator = NativeAllocator.choose(Map.of(), none());
        assertEquals(NativeAllocator.Kind.GLIBC, allocator.kind());
        Map<String, String> expected = new HashMap<>(NativeAllocator.GLIBC_SETTINGS);
        expected.put("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1");
        assertEquals(expected, allocator.childEnvironment(Map.of()));
        assertEquals("0", expected.get("MALLOC_MMAP_MAX_"), "large blocks from the heap, not fresh mmaps");
    }

    @Test
    void glibcCanBeChosenWhereJemallocIsInstalled() throws IOException {
        NativeAllocator allocator = NativeAllocator.choose(Map.of("SPSN_ALLOCATOR", "glibc"), List.of(jemalloc()));
        assertEquals(NativeAllocator.Kind.GLIBC, allocator.kind());
    }

    @Test
    void aPreloadedAllocatorIsLeftAsTheUserSetIt() throws IOException {
        Map<String, String> env = Map.of("LD_PRELOAD", "/usr/lib/libtcmalloc_minimal.so.4");
        NativeAllocator allocator = NativeAllocator.choose(env, List.of(jemalloc()));
        assertEquals(NativeAllocator.Kind.PRELOADED, allocator.kind());
        assertEquals(Map.of(), allocator.childEnvironment(env));
    }

    @Test
    void jemallocAskedForAndMissingIsOneClearLine() {
        SpsnException e = assertThrows(SpsnException.class,
                () -> NativeAllocator.choose(Map.of("SPSN_ALLOCATOR", "jemalloc"), none()));
        assertEquals(SpsnException.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("SPSN_ALLOCATOR=jemalloc: no libjemalloc.so.2 in "), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install libjemalloc2"), e.getMessage());
        SpsnException unknown = assertThrows(SpsnException.class,
                () -> NativeAllocator.choose(Map.of("SPSN_ALLOCATOR", "tcmalloc"), none()));
        assertEquals("SPSN_ALLOCATOR=tcmalloc: unknown allocator; use auto, jemalloc or glibc", unknown.getMessage());
    }

    @Test
    void theCommandLineSaysSoInOneLineAndExits2() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "the relaunch (it picks the allocator) is Linux's");
        ChildJvm.Finished run = ChildJvm.trainWith(Map.of("SPSN_ALLOCATOR", "tcmalloc"), tmp);
        assertEquals(2, run.exitCode(), run.output());
        assertEquals("spsn: SPSN_ALLOCATOR=tcmalloc: unknown allocator; use auto, jemalloc or glibc\n", run.output());
    }

    @Test
    void theUsersTunablesAreKeptAndHugePagesAdded() {
        assertEquals("glibc.malloc.hugetlb=1", NativeAllocator.withHugePages(null));
        assertEquals("glibc.malloc.hugetlb=1", NativeAllocator.withHugePages(""));
        assertEquals("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1",
                NativeAllocator.withHugePages("glibc.malloc.arena_max=2"));
        assertEquals("glibc.malloc.hugetlb=0", NativeAllocator.withHugePages("glibc.malloc.hugetlb=0"));
        assertEquals("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0",
                NativeAllocator.withHugePages("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0"));
    }
}
