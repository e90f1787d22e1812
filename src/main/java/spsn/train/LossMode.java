package spsn.train;

import spsn.SpsnException;

/** How the output membrane [B, T, C] is reduced over time before the cross-entropy. */
public enum LossMode {
    LAST("last"),
    MAX("max"),
    MEAN("mean"),
    /** ParaLIF's: softmax over classes at every step, summed over time (then cross-entropy). */
    CUMSUM("cumsum");

    private final String cliName;

    LossMode(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** The mode named {@code name} in any case ("MEAN" is mean). */
    public static LossMode fromCliName(String name) {
        for (LossMode mode : values()) {
            if (mode.cliName.equalsIgnoreCase(name)) {
                return mode;
            }
        }
        throw SpsnException.usage("--loss_mode: unknown mode '" + name + "'; choose one of last, max, mean, cumsum");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
