package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import spsn.neuron.Scalars;
import spsn.neuron.TempArrays;

/**
 * The last layer of a network. It is linear and time-invariant in its input:
 * out_t = sum over s &le; t of r[t-s] (W x_s + b), r being its impulse response. So a weighted sum
 * of its outputs over time is a weighted sum of its inputs followed by the linear map,
 * sum_t a[t] out_t = W (sum_s v[s] x_s) + b sum_s v[s] with v[s] = sum over t &ge; s of a[t] r[t-s]:
 * one pass over the input instead of computing (and differentiating) every step's output.
 */
interface OutputLayer extends Layer {

    /** r[0..length): the output at step k after a unit input at step 0. */
    double[] impulseResponse(int length);

    /**
     * The mean over the pass's real steps of the outputs for input x [T', B, in] (T' &ge; steps),
     * as [B, out].
     */
    default NDArray meanOverTime(NDArray x, Pass pass) {
        int steps = pass.steps();
        int length = (int) x.getShape().get(0);
        double[] r = impulseResponse(length);
        // v[s] = (1/T) sum_{k <= T-1-s} r[k]: a running sum of r read backwards
        double[] v = new double[length];
        double cumulative = 0;
        for (int s = steps - 1; s >= 0; s--) {
            cumulative += r[steps - 1 - s];
            v[s] = cumulative / steps;
        }
        return combineOverTime(x, v);
    }

    /** The output at the pass's last real step for input x [T', B, in], as [B, out]. */
    default NDArray lastStep(NDArray x, Pass pass) {
        int steps = pass.steps();
        int length = (int) x.getShape().get(0);
        double[] r = impulseResponse(length);
        double[] v = new double[length];
        for (int s = 0; s < steps; s++) {
            v[s] = r[steps - 1 - s];
        }
        return combineOverTime(x, v);
    }

    /** W (sum_s v[s] x_s) + b sum_s v[s] for x [T', B, in]: [B, out]. */
    private NDArray combineOverTime(NDArray x, double[] v) {
        Shape shape = x.getShape();
        double total = 0;
        for (double weight : v) {
            total += weight;
        }
        try (TempArrays tmp = new TempArrays()) {
            NDArray summed = tmp.add(weightedSumOverTime(x, v));
            NDArray mapped = tmp.add(Linear.linear(summed, dense().weight()).singletonOrThrow());
            return mapped.add(tmp.add(Scalars.times(dense().bias(), (float) total)));
        }
    }

    /**
     * sum_s v[s] x_s for x [T', B, in], as [B, in]. Not a [1, T'] x [T', B*in] product: its
     * gradient for x is then an outer product that the engine computes as a matrix product of
     * inner size 1, up to 20 ms per SHD batch, where a broadcast multiply takes 2.5 ms. With equal
     * weights (a plain mean) it is a sum, whose gradient is a free broadcast view.
     */
    private static NDArray weightedSumOverTime(NDArray x, double[] v) {
        boolean equal = true;
        for (double weight : v) {
            equal &= weight == v[0];
        }
        try (TempArrays tmp = new TempArrays()) {
            if (equal) {
                return Scalars.times(tmp.add(x.sum(new int[] {0})), (float) v[0]);
            }
            float[] weights = new float[v.length];
            for (int s = 0; s < v.length; s++) {
                weights[s] = (float) v[s];
            }
            // kept open with the batch: autograd needs it for the gradient of x
            NDArray timeWeights = x.getManager().create(weights, new Shape(v.length, 1, 1));
            return tmp.add(x.mul(timeWeights)).sum(new int[] {0});
        }
    }
}
