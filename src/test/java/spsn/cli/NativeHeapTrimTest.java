package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import spsn.io.MemoryProbe;
import spsn.train.HeapTrim;

/**
 * The tuned glibc allocator (NativeAllocator's glibc settings, huge pages included) keeps the
 * pages of freed tensors, and HeapTrim.betweenPhases gives them back: what keeps the bench's
 * phases (one network after another, the plain-path check) from adding their high-water marks
 * up. Checked in a child JVM started with those settings, where the kernel's resident-set count
 * (RSS) shows both. (jemalloc keeps them and reuses them: NativeAllocatorReuseTest.)
 */
class NativeHeapTrimTest {

    /** Tensors of one SHD-sized activation each, [1126 x 64 x 128] floats. */
    private static final int TENSORS = 8;
    private static final Shape ACTIVATION = new Shape(1126, 64, 128);
    private static final double TENSORS_MIB = TENSORS * ACTIVATION.size() * 4.0 / (1 << 20);
    private static final Pattern RSS_LINE = Pattern.compile("rss (\\S+) (\\S+) (\\S+)");

    @TempDir
    Path tmp;

    @Test
    void freedTensorPagesStayWithTheTunedAllocatorUntilTrimmed() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux /proc to read a process's RSS");
        Map<String, String> glibc = NativeAllocator.choose(Map.of("SPSN_ALLOCATOR", "glibc"), List.of())
                .childEnvironment(System.getenv());
        String out = ChildJvm.run(Child.class, glibc, tmp);
        Matcher m = RSS_LINE.matcher(out);
        assertTrue(m.find(), "the child's RSS line; " + out);
        double before = Double.parseDouble(m.group(1));
        double freed = Double.parseDouble(m.group(2));
        double trimmed = Double.parseDouble(m.group(3));
        String figures = String.format("RSS (MiB) before %.0f, after closing %.0f MiB of tensors %.0f, after the trim %.0f",
                before, TENSORS_MIB, freed, trimmed);
        System.out.println("NativeHeapTrimTest: " + figures);
        // the tuned allocator keeps the freed pages for the next batch...
        assertTrue(freed - before > 0.8 * TENSORS_MIB, "closed tensors' pages stay resident; " + figures);
        // ...until a phase ends
        assertTrue(freed - trimmed > 0.8 * TENSORS_MIB, "the trim gives them back; " + figures);
    }

    /** Allocates, touches and closes the tensors, then trims; prints RSS before, after closing, after the trim. */
    public static final class Child {

        public static void main(String[] args) {
            System.setProperty("ai.djl.offline", "true");
            try (NDManager manager = NDManager.newBaseManager()) {
                manager.ones(new Shape(1)).close(); // the engine loaded before the first figure
                HeapTrim.betweenPhases();
                double before = MemoryProbe.rssMiB();
                List<NDArray> tensors = new ArrayList<>();
                for (int i = 0; i < TENSORS; i++) {
                    tensors.add(manager.ones(ACTIVATION));
                }
                tensors.forEach(NDArray::close);
                double freed = MemoryProbe.rssMiB();
                HeapTrim.betweenPhases();
                double trimmed = MemoryProbe.rssMiB();
                System.out.printf(java.util.Locale.ROOT, "rss %.1f %.1f %.1f%n", before, freed, trimmed);
            }
        }
    }
}
