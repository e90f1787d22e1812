package spsn.train;

/**
 * The learning rate of each epoch. ParaLIF's run.py always steps StepLR(step_size 25, gamma 0.5)
 * once per epoch: lr0 * gamma^floor(epoch / 25). A pure function of the epoch, so a resumed run
 * continues with the rate it would have had.
 */
public record LearningRateSchedule(double initial, int stepSize, double gamma) {

    /** ParaLIF's StepLR(25, 0.5) from {@code initial}. */
    public static LearningRateSchedule paraLif(double initial) {
        return new LearningRateSchedule(initial, 25, 0.5);
    }

    /** The rate for epoch {@code epoch} (0-based), torch's StepLR after that many steps. */
    public double rate(int epoch) {
        return initial * Math.pow(gamma, epoch / stepSize);
    }
}
