package spsn.engine;

import spsn.SpsnException;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
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
 * its procedure linkage table, bound at the first call, so a definition in the process's global
 * scope by then wins: {@link #useHere} loads {@code src/main/native/mkl_intel_cpu.c}'s, which
 * answers 1 and puts itself in that scope, and MKL then chooses by the CPU's feature bits as it
 * does on Intel's CPUs. The bench says whether it is loaded.
 *
 * <p>The kernels round sums differently, so every process that trains loads it the same way
 * before its first product (the command line's, relaunched or not, and the test JVM's): the same
 * seed then gives the same numbers whichever way a run started.
 *
 * <p>{@code SPSN_MKL_INTEL_PATHS=auto} (the default) loads it on Linux x86-64 CPUs not made by
 * Intel, {@code yes} on every Linux x86-64 CPU, {@code no} never.
 */
public final class MklCodePaths {

    public static final String CHOICE = "SPSN_MKL_INTEL_PATHS";
    public static final String LIBRARY = "libspsn_mkl_intel_cpu.so";
    static final String RESOURCE = "/spsn/native/linux-x86_64/" + LIBRARY;
    private static final String INTEL = "GenuineIntel";

    /** Whether {@link #useHere} has run in this process, and what it found. */
    private static Boolean usedHere;

    private MklCodePaths() {
    }

    /**
     * Loads the library into this process where {@code env} chooses it, from the {@code cache}
     * folder, once per process; returns whether it is loaded. Call it before the engine's first
     * product: MKL binds its CPU check once. Where the library cannot be written or loaded, one
     * line on {@code err} says so and MKL keeps its generic kernels (slower, results within
     * rounding). A usage error for an unknown value.
     */
    public static synchronized boolean useHere(Map<String, String> env, Path cache, PrintWriter err) {
        if (usedHere == null) {
            Optional<String> vendor = vendor();
            Optional<Path> library = chosen(env, System.getProperty("os.name"), System.getProperty("os.arch"),
                    vendor, cache, err);
            usedHere = library.isPresent() && loaded(library.get(), vendor, err);
        }
        return usedHere;
    }

    /**
     * The library to load, written under {@code cache}, where {@code env} chooses it on this
     * machine; empty where it does not, or (after one line on {@code err}) where the cache folder
     * cannot take it.
     */
    static Optional<Path> chosen(Map<String, String> env, String osName, String arch, Optional<String> vendor,
                                 Path cache, PrintWriter err) {
        if (!wanted(env, osName, arch, vendor)) {
            return Optional.empty();
        }
        try {
            return Optional.of(install(cache));
        } catch (IOException | UncheckedIOException e) {
            err.println(genericKernels(vendor) + "cannot write its library under " + cache + " (" + e.getMessage()
                    + "); set DJL_CACHE_DIR to a writable folder, or " + CHOICE + "=no to keep this quiet");
            return Optional.empty();
        }
    }

    private static boolean loaded(Path library, Optional<String> vendor, PrintWriter err) {
        try {
            System.load(library.toString());
            return true;
        } catch (UnsatisfiedLinkError e) {
            err.println(genericKernels(vendor) + "cannot load " + library + " (" + e.getMessage() + "); " + CHOICE
                    + "=no keeps this quiet");
            return false;
        }
    }

    private static String genericKernels(Optional<String> vendor) {
        return "spsn: note: MKL keeps its generic kernels on this " + vendor.orElse("x86-64") + " CPU: ";
    }

    /**
     * Whether a process should load the library, given the environment {@code env}, this
     * machine's {@code os.name} and {@code os.arch}, and its CPU's maker as /proc/cpuinfo names it
     * (empty when unknown: then auto does not load it). A usage error for a value other than
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
