package spsn.neuron;

import ai.djl.ndarray.NDArray;
import spsn.neuron.spike.Surrogate;

/**
 * Spike functions with their training gradients. DJL has no custom autograd functions, so each
 * one is written as {@code f(x) + (forward(x) - f(x)).stopGradient()}: the value is exactly the
 * forward spike, the gradient is f'(x). Scalar factors go through {@link Scalars} (see there).
 */
public final class Firing {

    /** Slope of the fast-sigmoid surrogate (SuperSpike): dH/dx = 1/(SLOPE*|x| + 1)^2. */
    public static final float SURROGATE_SLOPE = Surrogate.DEFAULT.scale();

    private Firing() {
    }

    /**
     * Heaviside step H(x) = [x &gt; 0] whose gradient is the fast sigmoid 1/(100|x|+1)^2, the
     * derivative of x/(1+100|x|).
     */
    public static NDArray heaviside(NDArray x) {
        return Surrogate.DEFAULT.heaviside(x);
    }

    /**
     * SPSN-SB: p = sigmoid(mem), spike = [u &lt; p] with u from {@code noise} (see
     * {@link NoiseSource#bernoulli}); the gradient reaching p is grad*p (the derivative of p^2/2),
     * then flows through the sigmoid. With q = p detached, that gradient comes from (p - q) * q,
     * which is 0 in value and has derivative q * p'.
     */
    public static NDArray sigmoidBernoulli(NDArray mem, NoiseSource noise) {
        try (NDArray p = mem.getNDArrayInternal().sigmoid()) {
            return bernoulli(p, noise);
        }
    }

    /**
     * Bernoulli spikes with probability {@code p} (in [0, 1], differentiable): the gradient
     * reaching p is grad*p, from (p - q) * q with q = p detached (0 in value).
     */
    public static NDArray bernoulli(NDArray p, NoiseSource noise) {
        try (TempArrays tmp = new TempArrays()) {
            NDArray held = tmp.add(p.stopGradient());
            NDArray spikes = tmp.add(noise.bernoulli(held));
            NDArray surrogate = tmp.add(tmp.add(p.sub(held)).mul(held));
            return spikes.add(surrogate);
        }
    }

    /** {@link #sigmoidBernoulli(NDArray, NoiseSource)} with a given uniform array. */
    public static NDArray sigmoidBernoulli(NDArray mem, NDArray uniform) {
        return sigmoidBernoulli(mem, (manager, shape) -> uniform.duplicate());
    }

    /**
     * SPSN-GS: hard Gumbel-softmax with temperature 1 over the logits (mem, -mem). With Gumbel
     * noise g0, g1, y_soft = softmax([mem+g0, -mem+g1])[0] = sigmoid(2 mem + g0 - g1), so only the
     * difference {@code logistic} = g0 - g1 (a standard logistic variable, see
     * {@link NoiseSource#logistic}) is needed. The spike is [y_soft &gt; 0.5], here ceil(y - 0.5)
     * with y detached, and the gradient that of y_soft, from y_soft - y (0 in value).
     */
    public static NDArray gumbelSoftmax(NDArray mem, NDArray logistic) {
        try (TempArrays tmp = new TempArrays()) {
            NDArray logits = tmp.add(tmp.add(Scalars.times(mem, 2f)).add(logistic));
            NDArray soft = tmp.add(logits.getNDArrayInternal().sigmoid());
            NDArray held = tmp.add(soft.stopGradient());
            NDArray spikes = tmp.add(tmp.add(held.sub(Scalars.of(held, 0.5f))).ceil());
            return spikes.add(tmp.add(soft.sub(held)));
        }
    }

    /** {@link #gumbelSoftmax(NDArray, NDArray)} with the Gumbel noise given as two uniform draws. */
    public static NDArray gumbelSoftmax(NDArray mem, NDArray u0, NDArray u1) {
        try (NDArray logistic = NoiseSource.gumbelDifference(u0, u1)) {
            return gumbelSoftmax(mem, logistic);
        }
    }
}
