package spsn.neuron;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The two leaky integrations without reset as the first-order recurrence they are, over
 * time-first memory [T, K] (K = B*H columns, contiguous at each step):
 * syn_t = alpha*syn_{t-1} + x_t, mem_t = beta*mem_{t-1} + (1-beta)*syn_t, from zero state. The
 * work is a few multiply-adds per element and step, forward and backward, against T*(C+4) for the
 * chunked products (see ChunkedScan); it reads and writes each element once per pass.
 *
 * <p>Backward, from g_t = dL/dmem_t, the reverse-time recurrence of the adjoints:
 * lm_t = g_t + beta*lm_{t+1}, ls_t = (1-beta)*lm_t + alpha*ls_{t+1}, dL/dx_t = ls_t; and for decay
 * factors that learn dL/dalpha = sum_t ls_t*syn_{t-1}, dL/dbeta = sum_t lm_t*(mem_{t-1} - syn_t).
 *
 * <p>Decay factors are one per neuron (arrays of H, the last axis, column k being neuron k % H)
 * or one for all (arrays of 1), run in parallel blocks of columns ({@link ColumnBlocks}).
 * Arithmetic is float32, as the engine's; the decay sums are double.
 */
final class LeakyRecurrence {

    private final float[] alpha;
    private final float[] beta;
    private final int steps;
    private final int columns;
    private final ColumnBlocks blocks;

    /**
     * {@code alpha}, {@code beta}: one value, or one per neuron of the last axis ({@code neurons}
     * of them); {@code columns} is a multiple of {@code neurons}.
     */
    LeakyRecurrence(float[] alpha, float[] beta, int steps, int columns, int neurons) {
        this.blocks = new ColumnBlocks(columns, neurons, alpha, beta);
        this.alpha = alpha;
        this.beta = beta;
        this.steps = steps;
        this.columns = columns;
    }

    /** mem (and syn, unless null) for x, all [T, K] in time-first order. */
    void forward(FloatBuffer x, FloatBuffer mem, FloatBuffer syn) {
        forward(x, null, null, mem, null, syn);
    }

    /**
     * The same with the sums around the integration folded into its loop (see
     * RecurrentLayerIntegration): the recurrence runs on x + r (r may be null) and {@code out}
     * gets addend + mem (addend may be null: then out is mem). {@code ownMem} (unless null) gets
     * mem itself, which the decays' gradients need when an addend hides it.
     */
    void forward(FloatBuffer x, FloatBuffer r, FloatBuffer addend, FloatBuffer out, FloatBuffer ownMem,
                 FloatBuffer syn) {
        blocks.forEach((first, width) -> {
            float[] a = blocks.perColumn(alpha, first, width);
            float[] b = blocks.perColumn(beta, first, width);
            float[] c = ColumnBlocks.complement(b);
            float[] s = new float[width];
            float[] m = new float[width];
            float[] in = new float[width];
            float[] other = r != null || addend != null ? new float[width] : null;
            for (int t = 0; t < steps; t++) {
                int at = t * columns + first;
                x.get(at, in, 0, width);
                if (r != null) {
                    r.get(at, other, 0, width);
                    for (int j = 0; j < width; j++) {
                        in[j] = in[j] + other[j];
                    }
                }
                for (int j = 0; j < width; j++) {
                    s[j] = a[j] * s[j] + in[j];
                    m[j] = b[j] * m[j] + c[j] * s[j];
                }
                if (addend != null) {
                    addend.get(at, other, 0, width);
                    for (int j = 0; j < width; j++) {
                        other[j] = other[j] + m[j];
                    }
                    out.put(at, other, 0, width);
                } else {
                    out.put(at, m, 0, width);
                }
                if (ownMem != null) {
                    ownMem.put(at, m, 0, width);
                }
                if (syn != null) {
                    syn.put(at, s, 0, width);
                }
            }
        });
    }

    /** Gradients of the decay factors, per neuron (or one), from {@link #backward}. */
    record DecayGradients(float[] alpha, float[] beta) {
    }

    /**
     * dL/dx into {@code byInput} from dL/dmem in {@code byMembrane} (the same buffer works: each
     * step is read before it is written). With {@code syn} and {@code mem} given (the forward
     * pass's values), also returns the decays' gradients, shaped like the factors (one, or one per
     * neuron); otherwise null.
     */
    DecayGradients backward(FloatBuffer byMembrane, FloatBuffer byInput, FloatBuffer mem, FloatBuffer syn) {
        return backward(byMembrane, null, byInput, null, mem, syn);
    }

    /**
     * The same with the sums folded in (see RecurrentLayerIntegration): dL/dmem is byMembrane +
     * extraByMembrane (either may be null, not both) and {@code byInput} gets dL/dx +
     * extraByInput (unless null).
     */
    DecayGradients backward(FloatBuffer byMembrane, FloatBuffer extraByMembrane, FloatBuffer byInput,
                            FloatBuffer extraByInput, FloatBuffer mem, FloatBuffer syn) {
        boolean decays = syn != null;
        double[] byAlpha = decays ? new double[columns] : null;
        double[] byBeta = decays ? new double[columns] : null;
        blocks.forEach((first, width) -> {
            float[] a = blocks.perColumn(alpha, first, width);
            float[] b = blocks.perColumn(beta, first, width);
            float[] c = ColumnBlocks.complement(b);
            float[] lm = new float[width];
            float[] ls = new float[width];
            float[] g = new float[width];
            float[] other = extraByMembrane != null || extraByInput != null ? new float[width] : null;
            float[] synNow = decays ? new float[width] : null;
            float[] synBefore = decays ? new float[width] : null;
            float[] memBefore = decays ? new float[width] : null;
            double[] sumAlpha = decays ? new double[width] : null;
            double[] sumBeta = decays ? new double[width] : null;
            if (decays) {
                syn.get((steps - 1) * columns + first, synNow, 0, width);
            }
            for (int t = steps - 1; t >= 0; t--) {
                int at = t * columns + first;
                if (byMembrane == null) {
                    extraByMembrane.get(at, g, 0, width);
                } else {
                    byMembrane.get(at, g, 0, width);
                    if (extraByMembrane != null) {
                        extraByMembrane.get(at, other, 0, width);
                        for (int j = 0; j < width; j++) {
                            g[j] = g[j] + other[j];
                        }
                    }
                }
                for (int j = 0; j < width; j++) {
                    lm[j] = g[j] + b[j] * lm[j];
                    ls[j] = c[j] * lm[j] + a[j] * ls[j];
                }
                if (extraByInput != null) {
                    extraByInput.get(at, other, 0, width);
                    for (int j = 0; j < width; j++) {
                        other[j] = ls[j] + other[j];
                    }
                    byInput.put(at, other, 0, width);
                } else {
                    byInput.put(at, ls, 0, width);
                }
                if (decays) {
                    if (t > 0) {
                        syn.get(at - columns, synBefore, 0, width);
                        mem.get(at - columns, memBefore, 0, width);
                    } else {
                        Arrays.fill(synBefore, 0f);
                        Arrays.fill(memBefore, 0f);
                    }
                    for (int j = 0; j < width; j++) {
                        sumAlpha[j] += (double) ls[j] * synBefore[j];
                        sumBeta[j] += (double) lm[j] * ((double) memBefore[j] - synNow[j]);
                    }
                    float[] swap = synNow;
                    synNow = synBefore;
                    synBefore = swap;
                }
            }
            if (decays) {
                System.arraycopy(sumAlpha, 0, byAlpha, first, width);
                System.arraycopy(sumBeta, 0, byBeta, first, width);
            }
        });
        return decays
                ? new DecayGradients(blocks.reduce(byAlpha, alpha.length), blocks.reduce(byBeta, beta.length))
                : null;
    }

}
