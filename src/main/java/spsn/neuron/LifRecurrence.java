package spsn.neuron;

import spsn.neuron.spike.Surrogate;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The feed-forward LIF neuron with reset as one loop over time-first memory [T, K] (K = B*H
 * columns), forward and backward, in place of one engine op per step (see LifDynamics, the plain
 * path): syn_t = alpha*syn_{t-1} + x_t; pre_t = beta*mem_{t-1} + (1-beta)*syn_t;
 * spk_t = H(pre_t - theta); mem_t = pre_t*(1 - spk_t), the spike detached in the reset.
 *
 * <p>Backward, from G_t = dL/dspk_t with the surrogate's slope s'(pre_t - theta), in reverse time:
 * dpre_t = G_t*s' + [pre_t &le; theta]*beta*dpre_{t+1} (the reset passes no gradient: the spike is
 * detached there, and mem_t = pre_t where the neuron stays silent); the synaptic adjoint
 * ls_t = (1-beta)*dpre_t + alpha*ls_{t+1} is dL/dx_t. For factors that learn:
 * dL/dtheta = -sum G_t*s', dL/dbeta = sum dpre_t*(mem_{t-1} - syn_t), dL/dalpha = sum ls_t*syn_{t-1}.
 *
 * <p>Factors are one for all or one per neuron (the last axis), as in {@link LeakyRecurrence},
 * in the same blocks of columns ({@link ColumnBlocks}); float32 arithmetic in the engine's order of operations, double
 * sums for the factors' gradients.
 */
final class LifRecurrence {

    private final float[] alpha;
    private final float[] beta;
    private final float[] threshold;
    private final Surrogate surrogate;
    private final int steps;
    private final int columns;
    private final ColumnBlocks blocks;

    LifRecurrence(float[] alpha, float[] beta, float[] threshold, Surrogate surrogate, int steps, int columns,
                  int neurons) {
        this.blocks = new ColumnBlocks(columns, neurons, alpha, beta, threshold);
        this.alpha = alpha;
        this.beta = beta;
        this.threshold = threshold;
        this.surrogate = surrogate;
        this.steps = steps;
        this.columns = columns;
    }

    /**
     * Spikes and the membranes before reset (and syn, unless null) for x, all [T, K]; the spikes
     * tallied in {@code tally} (unless null).
     */
    void forward(FloatBuffer x, FloatBuffer spikes, FloatBuffer beforeReset, FloatBuffer syn, SpikeTally tally) {
        blocks.forEach((first, width) -> {
            float[] a = blocks.perColumn(alpha, first, width);
            float[] b = blocks.perColumn(beta, first, width);
            float[] theta = blocks.perColumn(threshold, first, width);
            float[] c = ColumnBlocks.complement(b);
            float[] s = new float[width];
            float[] m = new float[width];
            float[] in = new float[width];
            float[] pre = new float[width];
            float[] fired = new float[width];
            for (int t = 0; t < steps; t++) {
                int at = t * columns + first;
                x.get(at, in, 0, width);
                for (int j = 0; j < width; j++) {
                    s[j] = a[j] * s[j] + in[j];
                    pre[j] = b[j] * m[j] + c[j] * s[j];
                    boolean spike = pre[j] - theta[j] > 0;
                    fired[j] = spike ? 1f : 0f;
                    m[j] = spike ? 0f : pre[j];
                }
                spikes.put(at, fired, 0, width);
                if (tally != null) {
                    tally.add(fired, at, width);
                }
                beforeReset.put(at, pre, 0, width);
                if (syn != null) {
                    syn.put(at, s, 0, width);
                }
            }
        });
    }

    /** Gradients of the factors, shaped like them (one, or one per neuron), from {@link #backward}. */
    record FactorGradients(float[] alpha, float[] beta, float[] threshold) {
    }

    /**
     * dL/dx into {@code byInput} from dL/dspikes in {@code bySpikes}, with the forward pass's
     * membranes before reset. With {@code syn} (the forward pass's), also the factors' gradients;
     * otherwise null.
     */
    FactorGradients backward(FloatBuffer bySpikes, FloatBuffer byInput, FloatBuffer beforeReset, FloatBuffer syn) {
        boolean factors = syn != null;
        double[][] sums = factors ? new double[3][columns] : null;
        blocks.forEach((first, width) -> {
            float[] a = blocks.perColumn(alpha, first, width);
            float[] b = blocks.perColumn(beta, first, width);
            float[] theta = blocks.perColumn(threshold, first, width);
            float[] c = ColumnBlocks.complement(b);
            float[] g = new float[width];
            float[] pre = new float[width];
            float[] preBefore = factors ? new float[width] : null;
            float[] synNow = factors ? new float[width] : null;
            float[] synBefore = factors ? new float[width] : null;
            float[] carry = new float[width]; // beta * dpre_{t+1}
            float[] ls = new float[width];
            double[] byAlpha = factors ? new double[width] : null;
            double[] byBeta = factors ? new double[width] : null;
            double[] byTheta = factors ? new double[width] : null;
            if (factors) {
                syn.get((steps - 1) * columns + first, synNow, 0, width);
            }
            for (int t = steps - 1; t >= 0; t--) {
                int at = t * columns + first;
                bySpikes.get(at, g, 0, width);
                beforeReset.get(at, pre, 0, width);
                if (factors) {
                    if (t > 0) {
                        beforeReset.get(at - columns, preBefore, 0, width);
                        syn.get(at - columns, synBefore, 0, width);
                    } else {
                        Arrays.fill(preBefore, 0f);
                        Arrays.fill(synBefore, 0f);
                    }
                }
                for (int j = 0; j < width; j++) {
                    float u = pre[j] - theta[j];
                    float spikeGradient = g[j] * surrogate.slope(u);
                    float dpre = spikeGradient + (u > 0 ? 0f : carry[j]);
                    carry[j] = b[j] * dpre;
                    ls[j] = c[j] * dpre + a[j] * ls[j];
                    if (factors) {
                        float memBefore = preBefore[j] - theta[j] > 0 ? 0f : preBefore[j];
                        byTheta[j] -= spikeGradient;
                        byBeta[j] += (double) dpre * ((double) memBefore - synNow[j]);
                        byAlpha[j] += (double) ls[j] * synBefore[j];
                    }
                }
                byInput.put(at, ls, 0, width);
                if (factors) {
                    float[] swap = synNow;
                    synNow = synBefore;
                    synBefore = swap;
                }
            }
            if (factors) {
                System.arraycopy(byAlpha, 0, sums[0], first, width);
                System.arraycopy(byBeta, 0, sums[1], first, width);
                System.arraycopy(byTheta, 0, sums[2], first, width);
            }
        });
        if (!factors) {
            return null;
        }
        return new FactorGradients(blocks.reduce(sums[0], alpha.length), blocks.reduce(sums[1], beta.length),
                blocks.reduce(sums[2], threshold.length));
    }

}
