package spsn.train;

import spsn.SpsnException;

/** Which parameters a run tests and saves at its end (--select). */
public enum ModelSelection {
    /** Those after the last epoch, as the original. */
    LAST("last"),
    /** Those of the epoch with the best validation accuracy (ties: the lower validation loss, then the earlier). */
    BEST("best");

    private final String cliName;

    ModelSelection(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static ModelSelection fromCliName(String name) {
        for (ModelSelection s : values()) {
            if (s.cliName.equals(name)) {
                return s;
            }
        }
        throw SpsnException.usage("--select: unknown choice '" + name + "'; choose last or best");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
