package spsn.model;

/**
 * Which code a neuron comes from, and so which of its behaviours it keeps when a flag is not
 * given: SPSN's run.py (the original of this port) or ParaLIF's examples/basic/run.py (its
 * successor). The rule: a neuron of a family trains as that family's run.py trains it.
 */
public enum NeuronFamily {
    /** LIF, SPSN-SB, SPSN-GS, Non-Spiking: keys {@code i.fc.*}, fixed threshold, no scheduler. */
    SPSN(false, false, 0.1, 0.3),
    /**
     * LIF-LT and ParaLIF-*: {@code nn.Sequential} keys (Linear at 2i, neuron at 2i+1, buffers
     * included), learnable threshold relu-clamped, StepLR(25, 0.5), augmentation --shift 0.05
     * --scale 0.15.
     */
    PARALIF(true, true, 0.05, 0.15);

    private final boolean learnsThreshold;
    private final boolean stepLr;
    private final double defaultShift;
    private final double defaultScale;

    NeuronFamily(boolean learnsThreshold, boolean stepLr, double defaultShift, double defaultScale) {
        this.learnsThreshold = learnsThreshold;
        this.stepLr = stepLr;
        this.defaultShift = defaultShift;
        this.defaultScale = defaultScale;
    }

    /** examples/basic sets learn_threshold = (neuron != "LIF"). */
    public boolean learnsThreshold() {
        return learnsThreshold;
    }

    /** ParaLIF's run.py always steps StepLR(step 25, gamma 0.5) per epoch; SPSN's has no scheduler. */
    public boolean stepLr() {
        return stepLr;
    }

    /** Default augmentation shift (fraction of the channels): SPSN's --h_shift, ParaLIF's --shift. */
    public double defaultShift() {
        return defaultShift;
    }

    public double defaultScale() {
        return defaultScale;
    }

    /** Whether the state_dict is ParaLIF's {@code nn.Sequential} layout rather than SPSN's {@code i.fc.*}. */
    public boolean sequentialKeys() {
        return this == PARALIF;
    }
}
