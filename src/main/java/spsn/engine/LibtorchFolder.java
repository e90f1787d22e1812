package spsn.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a folder of libtorch libraries holds: its version, whether it is a CUDA build, and what
 * keeps the engine from loading it. The engine's JNI layer (DJL 0.36) is built against libtorch
 * {@value #VERSION}; another version can crash the JVM on the first missing symbol, so it is
 * refused here rather than tried.
 *
 * <p>The version is read from what ships beside the libraries: {@code ../version.py} of a pip
 * installed torch ({@code __version__ = '2.7.1+cu128'}, {@code cuda = '12.8'}), {@code
 * ../build-version} of a libtorch archive, or the name of DJL's own cache folder
 * ({@code 2.7.1-20250812-cpu-linux-x86_64}); a caller that knows it (Python's torch.__version__, the
 * user's PYTORCH_VERSION) passes it in.
 */
public record LibtorchFolder(Path dir, String version, String cuda, String problem) {

    /** The libtorch version DJL 0.36's JNI layer is built for. */
    public static final String VERSION = "2.7.1";

    private static final List<String> CORE = List.of("libtorch.so", "libtorch_cpu.so", "libc10.so");
    private static final List<String> CUDA_LIBS = List.of("libtorch_cuda.so", "libc10_cuda.so");
    private static final Pattern PY_VERSION = Pattern.compile("(?m)^__version__\\s*=\\s*['\"]([^'\"]+)['\"]");
    private static final Pattern PY_CUDA = Pattern.compile("(?m)^cuda\\s*(?::[^=]*)?=\\s*['\"]([^'\"]+)['\"]");
    private static final Pattern CACHE_NAME = Pattern.compile("(\\d+\\.\\d+\\.\\d+)(?:-\\d+)?-(cpu|cu\\d+)(?:-precxx11)?-.+");
    private static final Pattern LOCAL_CUDA = Pattern.compile("\\+cu(\\d+)(\\d)$");

    /** Usable by the engine at all (the right version, nothing missing). */
    public boolean usable() {
        return problem == null;
    }

    /** Usable and built for CUDA. */
    public boolean cudaBuild() {
        return usable() && cuda != null;
    }

    /** The engine flavour whose JNI library goes with this build: {@code cu128} or {@code cpu}. */
    public String flavor() {
        return cuda != null ? "cu128" : "cpu";
    }

    /** "libtorch 2.7.1 (CUDA 12.8)" or "libtorch 2.7.1 (CPU only)". */
    public String describe() {
        return "libtorch " + (version == null ? "of unknown version" : version)
                + (cuda == null ? " (CPU only)" : cuda.equals("?") ? " (CUDA)" : " (CUDA " + cuda + ")");
    }

    /**
     * Inspects {@code dir}. {@code knownVersion} and {@code knownCuda} (either may be null) come
     * from whoever found the folder and win over what the folder says.
     */
    public static LibtorchFolder inspect(Path dir, String knownVersion, String knownCuda) {
        if (!Files.isDirectory(dir)) {
            return new LibtorchFolder(dir, knownVersion, knownCuda, "no such folder");
        }
        for (String lib : CORE) {
            if (!Files.isRegularFile(dir.resolve(lib))) {
                return new LibtorchFolder(dir, knownVersion, knownCuda, "no " + lib + " in it");
            }
        }
        String version = knownVersion != null ? knownVersion : versionBeside(dir).orElse(null);
        boolean cudaLibs = CUDA_LIBS.stream().allMatch(lib -> Files.isRegularFile(dir.resolve(lib)));
        String cuda = knownCuda != null ? knownCuda : cudaLibs ? cudaBeside(dir, version).orElse("?") : null;
        if (version == null) {
            return new LibtorchFolder(dir, null, cuda, "its version is unknown, no ../version.py or ../build-version"
                    + " beside it (set PYTORCH_VERSION=" + VERSION + " if it is " + VERSION + ")");
        }
        if (!baseVersion(version).equals(VERSION)) {
            return new LibtorchFolder(dir, version, cuda, "libtorch " + version + ", not " + VERSION);
        }
        if (cuda != null && !cudaLibs) {
            return new LibtorchFolder(dir, version, cuda, "a CUDA build without "
                    + String.join(" or ", CUDA_LIBS.stream().filter(lib -> !Files.isRegularFile(dir.resolve(lib)))
                    .toList()));
        }
        List<String> missing = missingLibraries(dir.resolve(cuda != null ? "libtorch_cuda.so" : "libtorch_cpu.so"));
        if (!missing.isEmpty()) {
            return new LibtorchFolder(dir, version, cuda, "its libraries need " + String.join(", ", missing)
                    + ", not found");
        }
        return new LibtorchFolder(dir, version, cuda, null);
    }

    /** "2.7.1" of "2.7.1+cu128" or "2.7.1a0". */
    static String baseVersion(String version) {
        Matcher m = Pattern.compile("^(\\d+\\.\\d+\\.\\d+)").matcher(version);
        return m.find() ? m.group(1) : version;
    }

    private static Optional<String> versionBeside(Path dir) {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Optional<String> py = read(parent.resolve("version.py")).flatMap(text -> group(PY_VERSION, text));
            if (py.isPresent()) {
                return py;
            }
            Optional<String> build = read(parent.resolve("build-version")).map(String::strip).filter(s -> !s.isEmpty());
            if (build.isPresent()) {
                return build;
            }
        }
        Matcher name = CACHE_NAME.matcher(dir.getFileName().toString());
        return name.matches() ? Optional.of(name.group(1) + (name.group(2).equals("cpu") ? "" : "+" + name.group(2)))
                : Optional.empty();
    }

    /** "12.8" from version.py, or from a "+cu128" local version. */
    private static Optional<String> cudaBeside(Path dir, String version) {
        Path parent = dir.toAbsolutePath().getParent();
        Optional<String> py = parent == null ? Optional.empty()
                : read(parent.resolve("version.py")).flatMap(text -> group(PY_CUDA, text)).filter(c -> !c.equals("None"));
        if (py.isPresent() || version == null) {
            return py;
        }
        Matcher local = LOCAL_CUDA.matcher(version);
        return local.find() ? Optional.of(local.group(1) + "." + local.group(2)) : Optional.empty();
    }

    private static Optional<String> read(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8))
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * The shared libraries {@code library} needs that the dynamic loader cannot find (ldd's "not
     * found": e.g. the nvidia-* pip packages a pip torch's CUDA libraries load through their
     * RPATH). Empty when ldd is not there to ask.
     */
    static List<String> missingLibraries(Path library) {
        List<String> missing = new ArrayList<>();
        try {
            ShortProcess.Outcome ldd = ShortProcess.run(new ProcessBuilder("ldd", library.toString()), 20);
            for (String line : ldd.lines()) {
                if (line.contains("=> not found")) {
                    missing.add(line.strip().split("\\s+")[0]);
                }
            }
        } catch (IOException e) {
            // no ldd: the engine probe finds what is missing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return missing;
    }
}
