package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import spsn.neuron.TempArrays;

import java.util.Random;

/**
 * The per-step linear map X = x W^T + b of a layer, applied to inputs laid out as [T, B, in]
 * (time first), giving [T, B, out].
 */
public final class Dense {

    private final NDArray weight;
    private final NDArray bias;

    private Dense(NDArray weight, NDArray bias) {
        this.weight = weight;
        this.bias = bias;
        weight.setRequiresGradient(true);
        bias.setRequiresGradient(true);
    }

    /**
     * Kaiming-uniform weights (fan_in, gain 1): U(-sqrt(3/fan_in), +sqrt(3/fan_in)), zero bias —
     * the spiking layers of the original.
     */
    public static Dense kaimingUniform(NDManager manager, int in, int out, Random random) {
        float bound = (float) Math.sqrt(3.0 / in);
        return new Dense(uniform(manager, new Shape(out, in), bound, random),
                manager.zeros(new Shape(out)));
    }

    /** PyTorch's default nn.Linear init: weights and biases U(-1/sqrt(fan_in), +1/sqrt(fan_in)). */
    public static Dense torchDefault(NDManager manager, int in, int out, Random random) {
        float bound = (float) (1.0 / Math.sqrt(in));
        NDArray weight = uniform(manager, new Shape(out, in), bound, random);
        return new Dense(weight, uniform(manager, new Shape(out), bound, random));
    }

    private static NDArray uniform(NDManager manager, Shape shape, float bound, Random random) {
        float[] values = new float[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (random.nextFloat() * 2f - 1f) * bound;
        }
        return manager.create(values, shape);
    }

    public NDArray weight() {
        return weight;
    }

    public NDArray bias() {
        return bias;
    }

    /**
     * [T, B, in] to [T, B, out]: one matrix product over all T*B rows with the bias fused in
     * (torch's linear), the layout in which this is cheapest.
     */
    public NDArray apply(NDArray x) {
        return Linear.linear(x, weight, bias).singletonOrThrow();
    }

    /**
     * Same map for a sparse input given as a COO matrix [T*B, in] (row t*B+b holds step t of
     * sample b): the product touches only the spikes, instead of a dense input that is ~99%
     * zeros. Returns [T, B, out].
     */
    public NDArray applySparse(NDArray coo, int steps, int batch) {
        try (TempArrays tmp = new TempArrays()) {
            NDArray rows = tmp.add(tmp.add(coo.matMul(tmp.add(weight.transpose()))).add(bias));
            return rows.reshape(steps, batch, weight.getShape().get(0));
        }
    }
}
