package spsn.cli;

import java.util.Set;
import spsn.SpsnException;

/**
 * The rules every command's flags follow (training and {@code bench} alike): a bad value is a
 * usage error (exit code 2) naming the flag, what it must be and what was given.
 */
public final class FlagRules {

    private static final Set<String> DEVICES = Set.of("auto", "cpu", "gpu");

    private FlagRules() {
    }

    public static void positive(String flag, int value) {
        if (value <= 0) {
            throw SpsnException.usage(flag + ": must be a positive integer, got " + value);
        }
    }

    public static void notNegative(String flag, int value) {
        if (value < 0) {
            throw SpsnException.usage(flag + ": must be 0 or a positive integer, got " + value);
        }
    }

    public static void device(String value) {
        if (!DEVICES.contains(value)) {
            throw SpsnException.usage("--device: unknown device '" + value + "'; choose auto, cpu or gpu");
        }
    }
}
