package spsn.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
