package spsn.train;

import spsn.SpsnException;

/** The run stopped on SIGINT or SIGTERM after saving its checkpoint (exit code 130, as a shell reports Ctrl-C). */
public final class RunInterruptedException extends SpsnException {

    /** 128 + SIGINT, what shells report for a command stopped with Ctrl-C. */
    public static final int EXIT_CODE = 130;

    public RunInterruptedException(String message) {
        super(EXIT_CODE, message);
    }
}
