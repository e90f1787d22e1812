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
     * [..., in] to [..., out]: one matrix product over all rows with the bias fused in. The rows
     * are flattened to 2-D first because only there does torch's linear fuse the bias into the
     * product (addmm); on [T, B, in] it adds the bias in a separate pass (~5 ms per SHD batch).
     */
    public NDArray apply(NDArray x) {
        Shape shape = x.getShape();
        if (shape.dimension() == 2) {
            return Linear.linear(x, weight, bias).singletonOrThrow();
        }
        long in = shape.get(shape.dimension() - 1);
        try (NDArray rows = x.reshape(shape.size() / in, in);
             NDArray out = Linear.linear(rows, weight, bias).singletonOrThrow()) {
            return out.reshape(shape.slice(0, shape.dimension() - 1).add(weight.getShape().get(0)));
        }
    }

    /**
     * Same map for a sparse input, a COO matrix [rows, in], giving [rows, out]: the product touches
     * only the spikes, instead of a dense input that is ~99% zeros.
     */
    public NDArray applySparse(NDArray coo) {
        try (TempArrays tmp = new TempArrays()) {
            return tmp.add(coo.matMul(tmp.add(weight.transpose()))).add(bias);
        }
    }
}
