package spsn;

/**
 * An error the user can fix: bad data, a bad flag, an unreadable file. The command line prints
 * its message as one line (no stack trace unless --verbose) and exits with {@link #exitCode()}.
 */
public class SpsnException extends RuntimeException {

    /** Exit code for invalid command-line usage. */
    public static final int USAGE = 2;
    /** Exit code for data, model-file and other I/O problems. */
    public static final int DATA = 1;

    private final int exitCode;

    public SpsnException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public SpsnException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** A problem with input data, a model file or the file system (exit code 1). */
    public static SpsnException data(String message) {
        return new SpsnException(DATA, message);
    }

    public static SpsnException data(String message, Throwable cause) {
        return new SpsnException(DATA, message, cause);
    }

    /** A problem with a command-line value (exit code 2). */
    public static SpsnException usage(String message) {
        return new SpsnException(USAGE, message);
    }
}
