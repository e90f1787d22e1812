package spsn.nir;

import spsn.io.Tensor;

/**
 * One layer of this tool's network in the discrete terms export and import share (docs/NIR.md):
 * the input current X_t = W x_t + b (+ W_rec s_{t-1} + b_rec when recurrent),
 * syn_t = alpha syn_{t-1} + X_t, mem_t = beta mem_{t-1} + (1 - beta) syn_t, then per kind a
 * spike s_t = [mem_t &gt; threshold] with reset to 0 (LIF), a spike without reset (ParaLIF-T), or
 * no spike (the output layer, whose mem is the network's output).
 *
 * @param recurrentWeight W_rec [n, n], or null for a feed-forward layer (with {@code recurrentBias})
 * @param alpha the current's decay factor per neuron [n] (all equal unless --per_neuron)
 * @param beta the membrane's decay factor per neuron [n]
 * @param threshold the threshold each neuron's membrane is compared with [n] (unused by the output layer)
 */
public record NirLayer(Kind kind, Tensor weight, Tensor bias, Tensor recurrentWeight, Tensor recurrentBias,
                       float[] alpha, float[] beta, double[] threshold) {

    /** What a layer's neurons do with their membrane. */
    public enum Kind {
        /** Fire and reset to 0: NIR's CubaLIF. */
        LIF,
        /** Fire without reset (ParaLIF's threshold spikes): NIR's CubaLI then Threshold. */
        THRESHOLD,
        /** Integrate only, the network's output: NIR's CubaLI. */
        OUTPUT
    }

    public int size() {
        return (int) weight.shape()[0];
    }

    public boolean recurrent() {
        return recurrentWeight != null;
    }
}
