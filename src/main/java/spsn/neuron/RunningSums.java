package spsn.neuron;

/**
 * Sums of a Java kernel's block, in eight running sums added in a fixed order: one sum would make
 * every addition wait for the one before (the JIT keeps a sum in order), several cycles an
 * element, where eight keep the adder busy. The order is fixed, so the result does not depend on
 * the machine.
 */
public final class RunningSums {

    private RunningSums() {
    }

    /** values[0..length) summed in double (exact for counts of 0/1 spikes below 2^53). */
    public static double of(float[] values, int length) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            s0 += values[i];
            s1 += values[i + 1];
            s2 += values[i + 2];
            s3 += values[i + 3];
            s4 += values[i + 4];
            s5 += values[i + 5];
            s6 += values[i + 6];
            s7 += values[i + 7];
        }
        for (; i < length; i++) {
            s0 += values[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
