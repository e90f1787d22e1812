package spsn.engine;

import spsn.SpsnException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * MKL's Intel kernels for the engine on x86-64 CPUs of other makers. libtorch links MKL in, and
 * MKL asks {@code mkl_serv_intel_cpu_true()} before it picks its kernels: on an AMD CPU the answer
 * is 0 and MKL runs its generic ones (the "def" kernels of a profile), which leave the CPU's
 * AVX-512 unused; OpenBLAS, the original's BLAS, does use it. libtorch calls that function through
 * its procedure linkage table, so a definition preloaded into the process wins: the tuned child
 * JVM preloads {@code src/main/native/mkl_intel_cpu.c}'s, which answers 1, and MKL then chooses
 * by the CPU's feature bits as it does on Intel's CPUs. The bench says whether it is loaded.
 *
 * <p>{@code SPSN_MKL_INTEL_PATHS=auto} (the default) preloads it on Linux x86-64 CPUs not made
 * by Intel, {@code yes} on every Linux x86-64 CPU, {@code no} never.
 */
public final class MklCodePaths {

    public static final String CHOICE = "SPSN_MKL_INTEL_PATHS";
    public static final String LIBRARY = "libspsn_mkl_intel_cpu.so";
    static final String RESOURCE = "/spsn/native/linux-x86_64/" + LIBRARY;
    private static final String INTEL = "GenuineIntel";

    private MklCodePaths() {
    }

    /**
     * Whether the tuned child should preload the library, given the environment {@code env}, this
     * machine's {@code os.name} and {@code os.arch}, and its CPU's maker as /proc/cpuinfo names it
     * (empty when unknown: then auto does not preload). A usage error for a value other than
     * auto, yes or no.
     */
    public static boolean wanted(Map<String, String> env, String osName, String arch, Optional<String> vendor) {
        String choice = env.getOrDefault(CHOICE, "auto").trim().toLowerCase(Locale.ROOT);
        if (!List.of("auto", "yes", "no", "").contains(choice)) {
            throw SpsnException.usage(CHOICE + "=" + env.get(CHOICE) + ": unknown value; use auto, yes or no");
        }
        boolean linuxX86 = osName.equals("Linux") && (arch.equals("amd64") || arch.equals("x86_64"));
        if (!linuxX86 || choice.equals("no")) {
            return false;
        }
        return choice.equals("yes") || vendor.map(maker -> !maker.equals(INTEL)).orElse(false);
    }

    /** The CPU's maker from the lines of /proc/cpuinfo ("GenuineIntel", "AuthenticAMD", ...). */
    public static Optional<String> vendor(List<String> cpuinfo) {
        return cpuinfo.stream()
                .filter(line -> line.startsWith("vendor_id"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .findFirst();
    }

    /** This machine's CPU maker; empty where /proc/cpuinfo cannot be read. */
    public static Optional<String> vendor() {
        try {
            return vendor(Files.readAllLines(Path.of("/proc/cpuinfo")));
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /**
     * The library written under {@code cache}, in a folder named by its contents so that jars of
     * other versions never overwrite a copy another process has loaded; written once, atomically.
     */
    public static Path install(Path cache) throws IOException {
        byte[] library;
        try (InputStream in = MklCodePaths.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("this jar has no " + RESOURCE);
            }
            library = in.readAllBytes();
        }
        Path target = cache.resolve("spsn").resolve("mkl-" + digest(library)).resolve(LIBRARY);
        if (Files.isRegularFile(target)) { // moved there whole
            return target;
        }
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempFile(target.getParent(), LIBRARY, ".partial");
        try {
            Files.write(partial, library);
            readableByAll(partial); // a cache folder may serve several users
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        return target;
    }

    /** {@code preload} (an LD_PRELOAD value, maybe empty) with {@code library} after what it names. */
    public static String preloading(String preload, Path library) {
        return preload == null || preload.isEmpty() ? library.toString() : preload + ":" + library;
    }

    /** Whether this process has the library loaded, as its memory map shows. */
    public static boolean loadedHere() {
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            return maps.anyMatch(line -> line.endsWith("/" + LIBRARY));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private static void readableByAll(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
