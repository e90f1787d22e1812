package spsn.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Resident memory of this process as the kernel counts it (Java heap and native tensors). */
public final class MemoryProbe {

    private MemoryProbe() {
    }

    /** Peak resident set size (VmHWM) in MiB, or NaN where /proc is not available. */
    public static double peakRssMiB() {
        return statusField("VmHWM:");
    }

    /** Current resident set size (VmRSS) in MiB, or NaN where /proc is not available. */
    public static double rssMiB() {
        return statusField("VmRSS:");
    }

    /**
     * The malloc serving this process, as its memory map shows: "jemalloc", "tcmalloc" or
     * "mimalloc" when one is loaded (preloaded), else "glibc"; "unknown" where /proc is not available.
     */
    public static String nativeAllocator() {
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            List<String> loaded = maps.filter(line -> line.contains("/lib")).toList();
            for (String name : List.of("jemalloc", "tcmalloc", "mimalloc")) {
                if (loaded.stream().anyMatch(line -> line.contains("/lib" + name))) {
                    return name;
                }
            }
            return "glibc";
        } catch (IOException | UncheckedIOException e) {
            return "unknown";
        }
    }

    private static double statusField(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
