package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spsn.io.MemoryProbe;

/**
 * The tuned child's jemalloc, started as TunedRelaunch starts it: it is the malloc that serves
 * the engine, and batches of activations whose sizes change from batch to batch (each batch's
 * length does) reuse the memory of the batches before: resident memory after eight such batches
 * stays near the first's, where glibc's heaps crept up (README, "Peak memory"). Skips where
 * jemalloc is not installed (CI installs libjemalloc2).
 */
class NativeAllocatorReuseTest {

    private static final int BATCHES = 8;
    /** Activations per batch, of [T, 64, 128] floats, T from 1100 up (SHD's longest batches). */
    private static final int ACTIVATIONS = 12;
    private static final Pattern LINE = Pattern.compile("allocator (\\S+) rss (\\S+) (\\S+)");

    @TempDir
    Path tmp;

    @Test
    void jemallocServesTheChildAndReusesEachBatchsMemory() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "needs Linux /proc");
        NativeAllocator allocator = NativeAllocator.choose(Map.of(), NativeAllocator.installedLocations());
        assumeTrue(allocator.kind() == NativeAllocator.Kind.JEMALLOC,
                "jemalloc is not installed here (apt-get install libjemalloc2); the child would run glibc's malloc");
        String out = ChildJvm.run(Child.class, allocator.childEnvironment(System.getenv()), tmp);
        Matcher m = LINE.matcher(out);
        assertTrue(m.find(), "the child's line; " + out);
        assertEquals("jemalloc", m.group(1), "the malloc mapped in the child; " + out);
        double first = Double.parseDouble(m.group(2));
        double last = Double.parseDouble(m.group(3));
        double batchMiB = ACTIVATIONS * 1100 * 64 * 128 * 4.0 / (1 << 20);
        String figures = String.format(Locale.ROOT,
                "RSS after batch 1 %.0f MiB, after batch %d %.0f MiB (a batch: %.0f MiB)",
                first, BATCHES, last, batchMiB);
        System.out.println("NativeAllocatorReuseTest: " + figures);
        assertTrue(last - first < 0.25 * batchMiB, "later batches reuse the first's memory; " + figures);
    }

    /** Runs the batches on a thread of its own, as training does; prints the allocator, RSS after batch 1 and 8. */
    public static final class Child {

        public static void main(String[] args) throws Exception {
            System.setProperty("ai.djl.offline", "true");
            double[] rss = new double[2];
            Thread training = new Thread(() -> {
                try (NDManager manager = NDManager.newBaseManager()) {
                    for (int batch = 0; batch < BATCHES; batch++) {
                        int steps = 1100 + 7 * batch; // each batch a little longer: freed blocks are too small
                        List<NDArray> tensors = new ArrayList<>();
                        for (int i = 0; i < ACTIVATIONS; i++) {
                            tensors.add(manager.ones(new Shape(steps, 64, 128)));
                            tensors.add(manager.ones(new Shape(64, 128 + i))); // small ones in between
                        }
                        tensors.forEach(NDArray::close);
                        if (batch == 0) {
                            rss[0] = MemoryProbe.rssMiB();
                        }
                    }
                    rss[1] = MemoryProbe.rssMiB();
                }
            });
            training.start();
            training.join();
            System.out.printf(Locale.ROOT, "allocator %s rss %.1f %.1f%n", MemoryProbe.nativeAllocator(),
                    rss[0], rss[1]);
        }
    }
}
