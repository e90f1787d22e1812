package spsn.train;

/**
 * Gives back the Java heap that loading left behind. Reading or generating a dataset makes
 * several times its size in short-lived garbage, and the collector grows the heap to match
 * (2.7 GB committed for a 0.8 GB SHD-sized synthetic set); the heap then stays that large for the
 * whole run, on top of the engine's native memory. One full collection right after loading
 * shrinks it to the live data plus the free share the JVM allows (the tuned child JVM is
 * started with -XX:MaxHeapFreeRatio=30, see spsn.cli.TunedRelaunch).
 */
public final class HeapTrim {

    private HeapTrim() {
    }

    /** Call once, after the datasets are in memory and before training. */
    public static void afterLoading() {
        System.gc();
    }
}
