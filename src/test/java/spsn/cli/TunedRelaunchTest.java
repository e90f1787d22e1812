package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

/** What the tuned child starts with: huge pages for malloc's heap, sleeping OpenMP threads, the user's own settings kept. */
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

    @Test
    void theChildsOpenMpThreadsSleepUnlessTheUserChoseAPolicy() {
        Map<String, String> unset = new HashMap<>(Map.of("PATH", "/usr/bin"));
        TunedRelaunch.withPassiveOpenMp(unset);
        assertEquals(Map.of("PATH", "/usr/bin", "OMP_WAIT_POLICY", "PASSIVE"), unset);
        Map<String, String> chosen = new HashMap<>(Map.of("OMP_WAIT_POLICY", "ACTIVE"));
        TunedRelaunch.withPassiveOpenMp(chosen);
        assertEquals(Map.of("OMP_WAIT_POLICY", "ACTIVE"), chosen);
    }
}
