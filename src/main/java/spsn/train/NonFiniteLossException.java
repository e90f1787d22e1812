package spsn.train;

import spsn.SpsnException;

/** The loss became NaN or infinite: training cannot continue from here. */
public final class NonFiniteLossException extends SpsnException {

    public NonFiniteLossException(int epoch, float loss) {
        super(DATA, "the training loss became " + loss + " in epoch " + (epoch + 1)
                + "; lower the learning signal (e.g. --reg_thr) or check the data, then rerun or resume"
                + " from the last checkpoint");
    }
}
