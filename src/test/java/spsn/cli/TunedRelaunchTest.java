package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import spsn.engine.TunedEnvironment;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the tuned child starts with: sleeping OpenMP threads, the user's own policy kept (its
 * allocator: NativeAllocatorTest); and how the parent decides after the child could not be started.
 */
class TunedRelaunchTest {

    @Test
    void theChildsOpenMpThreadsSleepUnlessTheUserChoseAPolicy() {
        Map<String, String> unset = new HashMap<>(Map.of("PATH", "/usr/bin"));
        TunedRelaunch.withPassiveOpenMp(unset);
        assertEquals(Map.of("PATH", "/usr/bin", "OMP_WAIT_POLICY", "PASSIVE"), unset);
        Map<String, String> chosen = new HashMap<>(Map.of("OMP_WAIT_POLICY", "ACTIVE"));
        TunedRelaunch.withPassiveOpenMp(chosen);
        assertEquals(Map.of("OMP_WAIT_POLICY", "ACTIVE"), chosen);
    }

    @Test
    void whatTheChildStartsGetsTheUsersEnvironmentBack() {
        // a sweep's runs, locally or on another Slurm node, tune themselves from the user's values
        Map<String, String> user = Map.of("PATH", "/usr/bin", "MALLOC_CONF", "narenas:2", "LC_ALL", "C",
                "ODD", "a\\n\nb");
        Map<String, String> child = new HashMap<>(user);
        child.putAll(Map.of("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", "MALLOC_CONF",
                "dirty_decay_ms:-1", "SPSN_TUNED_CHILD", "1", "OMP_WAIT_POLICY", "PASSIVE"));
        child.remove("LC_ALL");
        TunedEnvironment.recordUntuned(user, child);
        assertEquals("1", child.get("SPSN_TUNED_CHILD"));
        assertEquals("dirty_decay_ms:-1", child.get("MALLOC_CONF"), "the child itself keeps its tuning");
        Map<String, String> started = new HashMap<>(child);
        TunedEnvironment.restoreUntuned(started);
        assertEquals(user, started);
    }

    @Test
    void aStopSignalStillOnItsWayWhenTheChildFailedToStartStopsTheRun() throws Exception {
        // a group SIGTERM killed the spawn helper; the JVM's handler thread records it a moment later
        TunedRelaunch.ParentSignals signals = new TunedRelaunch.ParentSignals(null);
        Thread handler = new Thread(() -> {
            sleep(100);
            signals.pass("TERM");
        });
        handler.start();
        assertEquals(Optional.of(130), signals.exitCodeIfStopped(TimeUnit.SECONDS.toNanos(30)));
        handler.join();
    }

    @Test
    void withoutAStopSignalAFailedStartRunsHere() {
        TunedRelaunch.ParentSignals signals = new TunedRelaunch.ParentSignals(null);
        assertEquals(Optional.empty(), signals.exitCodeIfStopped(TimeUnit.MILLISECONDS.toNanos(50)));
    }

    @Test
    void aStopSignalBeforeTheFailedStartStopsTheRunWithoutWaiting() {
        TunedRelaunch.ParentSignals signals = new TunedRelaunch.ParentSignals(null);
        signals.pass("HUP");
        assertEquals(Optional.of(130), signals.exitCodeIfStopped(TimeUnit.DAYS.toNanos(1)));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
