package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The glibc tunables the tuned child starts with: huge pages for malloc's heap, the user's own settings kept. */
class TunedRelaunchTest {

    @Test
    void withoutTunablesTheChildGetsHugePages() {
        assertEquals("glibc.malloc.hugetlb=1", TunedRelaunch.withHugePages(null));
        assertEquals("glibc.malloc.hugetlb=1", TunedRelaunch.withHugePages(""));
    }

    @Test
    void theUsersTunablesAreKeptAndHugePagesAdded() {
        assertEquals("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1",
                TunedRelaunch.withHugePages("glibc.malloc.arena_max=2"));
    }

    @Test
    void aUsersOwnHugePageSettingWins() {
        assertEquals("glibc.malloc.hugetlb=0", TunedRelaunch.withHugePages("glibc.malloc.hugetlb=0"));
        assertEquals("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0",
                TunedRelaunch.withHugePages("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0"));
    }
}
