package spsn.train;

import spsn.SpsnException;

/** The loss became NaN or infinite: training cannot continue from here. */
public final class NonFiniteLossException extends SpsnException {

    private final int epoch;

    /** Thrown by the trainer; epochs and batches count from 0 here, from 1 in the message. */
    public NonFiniteLossException(int epoch, int batch, int batches, float loss) {
        this(epoch, "the training loss became " + loss + " in epoch " + (epoch + 1) + " (batch " + (batch + 1)
                + " of " + batches + "); lower the learning signal (e.g. --reg_thr, --tau_mem) or check the data");
    }

    private NonFiniteLossException(int epoch, String message) {
        super(DATA, message);
        this.epoch = epoch;
    }

    /** The 0-based epoch in which the loss went bad. */
    public int epoch() {
        return epoch;
    }

    /** The same error, its message ending with what the run kept (e.g. its last checkpoint). */
    public NonFiniteLossException withNote(String note) {
        return new NonFiniteLossException(epoch, getMessage() + "; " + note);
    }
}
