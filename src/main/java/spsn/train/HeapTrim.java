package spsn.train;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Gives back memory that a finished phase of work left behind.
 *
 * <p>The Java heap: reading or generating a dataset makes several times its size in short-lived
 * garbage, and the collector grows the heap to match (2.7 GB committed for a 0.8 GB SHD-sized
 * synthetic set); the heap then stays that large for the whole run, on top of the engine's native
 * memory. One full collection right after loading shrinks it to the live data plus the free share
 * the JVM allows (the tuned child JVM is started with -XX:MaxHeapFreeRatio=30, see
 * spsn.cli.TunedRelaunch).
 *
 * <p>The native heap: the tuned allocator keeps every freed tensor's pages for the next batch
 * (spsn.cli.TunedRelaunch), which is what makes a batch fast, but it also keeps them when the next
 * piece of work allocates in another pattern, so that each phase of a run (another network in the
 * bench, the bench's plain-path check, a training after it) adds its own high-water mark to the
 * last one's. Between such phases the free pages go back to the system (glibc's malloc_trim,
 * through the JVM's System.trim_native_heap), and the next phase's first batch faults in what it
 * needs.
 */
public final class HeapTrim {

    private HeapTrim() {
    }

    /** Call once, after the datasets are in memory and before training. */
    public static void afterLoading() {
        System.gc();
    }

    /**
     * Call between phases of work, never between the batches of one (they reuse the pages): a full
     * collection (which also frees the native memory of unreachable direct buffers), then the
     * native heap's free pages back to the system. Does only the first where the JVM cannot trim
     * (not glibc, an older JVM).
     */
    public static void betweenPhases() {
        System.gc();
        try {
            ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "systemTrimNativeHeap",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException | RuntimeException e) {
            // no such command here: the free pages stay with the allocator, as before
        }
    }
}
