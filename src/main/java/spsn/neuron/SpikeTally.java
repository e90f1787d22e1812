package spsn.neuron;

import ai.djl.ndarray.types.Shape;

/**
 * The number of spikes in the real steps of a layer's spikes [T', B, H] (the first
 * {@code steps} of T'), tallied by a Java spike step as it writes them: the spike count a results
 * file records then costs no pass of its own over the array (two engine means over T' B H
 * elements did). A step that cannot tally leaves it unstarted, and the caller counts the spikes;
 * a regulariser, which needs each neuron's rate in the graph, always takes them from the spikes.
 *
 * <p>A block's spikes (0/1) add up exactly in a double (RunningSums) and the blocks in a long, so
 * the order of the blocks does not matter.
 */
public final class SpikeTally {

    private final int steps;
    private int batch;
    /** Elements of the real steps: steps * B * H. */
    private long realElements = -1;
    private long spikes;

    /** A tally of the first {@code steps} steps, to be started by the step that counts. */
    public SpikeTally(int steps) {
        this.steps = steps;
    }

    /** Called once, before any block, by the step that writes spikes of {@code shape} [T', B, H]. */
    public void start(Shape shape) {
        if (shape.dimension() != 3 || shape.get(0) < steps) {
            throw new IllegalArgumentException("spikes of shape " + shape + " for " + steps + " real steps");
        }
        batch = Math.toIntExact(shape.get(1));
        realElements = (long) steps * batch * shape.get(2);
    }

    /** Whether a step tallied (else the spikes must be counted). */
    public boolean started() {
        return realElements >= 0;
    }

    /** Adds spikes[0..length), elements start.. of the flat array; safe from parallel blocks. */
    public void add(float[] values, int start, int length) {
        int counted = (int) Math.min(length, realElements - start);
        if (counted <= 0) {
            return;
        }
        long sum = (long) RunningSums.of(values, counted);
        synchronized (this) {
            spikes += sum;
        }
    }

    /** Spikes per sample and real step: the sum over the neurons of their firing rates. */
    public double sumOfRates() {
        return spikes / ((double) steps * batch);
    }
}
