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
        NDArray smooth = x.div(Scalars.times(x.abs(), SURROGATE_SLOPE).add(1f));
        NDArray step = x.gt(0f).toType(DataType.FLOAT32, false);
        return straightThrough(smooth, step);
    }

    /**
     * SPSN-SB: p = sigmoid(mem), spike = [u &lt; p]; the gradient reaching p is grad*p (the
     * derivative of p^2/2), then flows through the sigmoid.
     */
    public static NDArray sigmoidBernoulli(NDArray mem, NDArray uniform) {
        NDArray p = mem.getNDArrayInternal().sigmoid();
        NDArray smooth = Scalars.times(p.square(), 0.5f);
        NDArray spikes = uniform.lt(p).toType(DataType.FLOAT32, false);
        return straightThrough(smooth, spikes);
    }

    /**
     * SPSN-GS: hard Gumbel-softmax with temperature 1 over the logits (mem, -mem). With
     * g_k = -log(-log u_k), y_soft = softmax([mem+g0, -mem+g1])[0] = sigmoid(2 mem + g0 - g1);
     * the spike is [y_soft &gt; 0.5] and the gradient is that of y_soft.
     */
    public static NDArray gumbelSoftmax(NDArray mem, NDArray u0, NDArray u1) {
        NDArray logits = Scalars.times(mem, 2f).add(gumbel(u0)).sub(gumbel(u1));
        NDArray soft = logits.getNDArrayInternal().sigmoid();
        NDArray spikes = logits.gt(0f).toType(DataType.FLOAT32, false);
        return straightThrough(soft, spikes);
    }

    private static NDArray gumbel(NDArray u) {
        return u.log().neg().log().neg();
    }

    /** Value of {@code hard}, gradient of {@code smooth}. */
    private static NDArray straightThrough(NDArray smooth, NDArray hard) {
        return smooth.add(hard.sub(smooth).stopGradient());
    }
}
