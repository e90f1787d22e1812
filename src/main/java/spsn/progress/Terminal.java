package spsn.progress;

import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Whether this process writes to a terminal, and how wide it is, asked through JLine's terminal
 * providers (the library the progress bar uses). Only the streams are queried: no JLine terminal
 * is opened, so nothing takes over the signal handlers or the keyboard.
 */
final class Terminal {

    /** Used when a terminal does not tell its width. */
    static final int DEFAULT_WIDTH = 80;
    /** jline-native's ioctl first; the {@code stty} fallback where its library cannot load. */
    private static final List<String> PROVIDERS = List.of("jni", "exec");

    private Terminal() {
    }

    /**
     * Columns of the terminal that standard error shows on, or 0 when standard output or
     * standard error is not a terminal (a log file, a pipe, a Slurm job).
     */
    static int interactiveWidth() {
        if (System.console() == null || "dumb".equals(System.getenv("TERM"))) {
            return 0; // Java's own test: standard input and output are terminals
        }
        for (String name : PROVIDERS) {
            try {
                TerminalProvider provider = TerminalProvider.load(name);
                if (!provider.isSystemStream(SystemStream.Error) || !provider.isSystemStream(SystemStream.Output)) {
                    return 0;
                }
                int width = provider.systemStreamWidth(SystemStream.Error);
                return width >= 20 ? width : DEFAULT_WIDTH;
            } catch (Exception | LinkageError e) {
                // this provider cannot run here: try the next
            }
        }
        return 0;
    }

    /** Whether standard error takes the block characters tqdm draws with. */
    static boolean unicode() {
        String encoding = System.getProperty("stderr.encoding", System.getProperty("sun.stderr.encoding"));
        Charset charset;
        try {
            charset = encoding == null ? Charset.defaultCharset() : Charset.forName(encoding);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return charset.equals(StandardCharsets.UTF_8);
    }
}
