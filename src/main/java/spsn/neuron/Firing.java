package spsn.neuron;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Spike functions with their training gradients. DJL has no custom autograd functions, so each
 * one is written as {@code f(x) + (forward(x) - f(x)).stopGradient()}: the value is exactly the
 * forward spike, the gradient is f'(x). Scalar factors go through {@link Scalars} (see there).
 */
public final class Firing {

    /** Slope of the fast-sigmoid surrogate (SuperSpike): dH/dx = 1/(SLOPE*|x| + 1)^2. */
    public static final float SURROGATE_SLOPE = 100f;

    private Firing() {
    }

    /**
     * Heaviside step H(x) = [x &gt; 0] whose gradient is the fast sigmoid 1/(100|x|+1)^2, the
     * derivative of x/(1+100|x|).
     */
    public static NDArray heaviside(NDArray x) {
        try (TempArrays tmp = new TempArrays()) {
            NDArray denominator = tmp.add(tmp.add(Scalars.times(tmp.add(x.abs()), SURROGATE_SLOPE)).add(1f));
            NDArray smooth = tmp.add(x.div(denominator));
            NDArray step = tmp.add(tmp.add(x.gt(0f)).toType(DataType.FLOAT32, false));
            return straightThrough(smooth, step, tmp);
        }
    }

    /**
     * SPSN-SB: p = sigmoid(mem), spike = [u &lt; p]; the gradient reaching p is grad*p (the
     * derivative of p^2/2), then flows through the sigmoid.
     */
    public static NDArray sigmoidBernoulli(NDArray mem, NDArray uniform) {
        try (TempArrays tmp = new TempArrays()) {
            NDArray p = tmp.add(mem.getNDArrayInternal().sigmoid());
            NDArray smooth = tmp.add(Scalars.times(tmp.add(p.square()), 0.5f));
            NDArray spikes = tmp.add(tmp.add(uniform.lt(p)).toType(DataType.FLOAT32, false));
            return straightThrough(smooth, spikes, tmp);
        }
    }

    /**
     * SPSN-GS: hard Gumbel-softmax with temperature 1 over the logits (mem, -mem). With
     * g_k = -log(-log u_k), y_soft = softmax([mem+g0, -mem+g1])[0] = sigmoid(2 mem + g0 - g1);
     * the spike is [y_soft &gt; 0.5] and the gradient is that of y_soft.
     */
    public static NDArray gumbelSoftmax(NDArray mem, NDArray u0, NDArray u1) {
        try (TempArrays tmp = new TempArrays()) {
            NDArray shifted = tmp.add(tmp.add(Scalars.times(mem, 2f)).add(gumbel(u0, tmp)));
            NDArray logits = tmp.add(shifted.sub(gumbel(u1, tmp)));
            NDArray soft = tmp.add(logits.getNDArrayInternal().sigmoid());
            NDArray spikes = tmp.add(tmp.add(logits.gt(0f)).toType(DataType.FLOAT32, false));
            return straightThrough(soft, spikes, tmp);
        }
    }

    private static NDArray gumbel(NDArray u, TempArrays tmp) {
        return tmp.add(tmp.add(tmp.add(tmp.add(u.log()).neg()).log()).neg());
    }

    /** Value of {@code hard}, gradient of {@code smooth}. */
    private static NDArray straightThrough(NDArray smooth, NDArray hard, TempArrays tmp) {
        return smooth.add(tmp.add(tmp.add(hard.sub(smooth)).stopGradient()));
    }
}
