package spsn.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * libtorch folders for tests, laid out as a pip-installed torch ({@code torch/lib} with
 * {@code torch/version.py} beside it), made of links to the engine's own CPU libtorch (real
 * libraries that load) or of empty files where a CUDA build has its CUDA libraries.
 */
public final class LibtorchFolders {

    private LibtorchFolders() {
    }

    /** A hard link where the file system allows one (nothing for JUnit to warn about), else a symbolic one. */
    private static void link(Path link, Path target) throws IOException {
        try {
            Files.createLink(link, target);
        } catch (IOException | UnsupportedOperationException e) {
            Files.createSymbolicLink(link, target);
        }
    }

    /** The folder the engine loaded its bundled CPU libtorch from (DJL's cache), starting the engine. */
    public static Path bundled() {
        System.setProperty("ai.djl.offline", "true");
        Engine.getEngine("PyTorch");
        return Path.of(LibUtils.getLibtorchPath());
    }

    /**
     * {@code root/torch/lib} with links to the bundled libraries, and a version.py saying
     * {@code version} (none if null) and {@code cuda} (None if null); {@code fakeCuda} adds empty
     * libtorch_cuda.so and libc10_cuda.so.
     */
    public static Path pipTorch(Path root, String version, String cuda, boolean fakeCuda) throws IOException {
        Path lib = Files.createDirectories(root.resolve("torch").resolve("lib"));
        try (Stream<Path> files = Files.list(bundled())) {
            for (Path file : files.filter(f -> !f.getFileName().toString().contains("djl_torch")).toList()) {
                link(lib.resolve(file.getFileName()), file);
            }
        }
        if (fakeCuda) {
            Files.createFile(lib.resolve("libtorch_cuda.so"));
            Files.createFile(lib.resolve("libc10_cuda.so"));
        }
        if (version != null) {
            Files.writeString(root.resolve("torch").resolve("version.py"), "__version__ = '" + version + "'\n"
                    + "debug = False\ncuda: Optional[str] = " + (cuda == null ? "None" : "'" + cuda + "'") + "\n");
        }
        return lib;
    }
}
