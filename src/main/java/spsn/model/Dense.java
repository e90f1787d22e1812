package spsn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import spsn.neuron.TempArrays;

import java.util.Random;

/**
 * The per-step linear map X = x W^T + b of a layer, applied to inputs laid out as [B, in, T]
 * (time last), giving [B, out, T].
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

    /** [B, in, T] to [B, out, T]. */
    public NDArray apply(NDArray x) {
        try (TempArrays tmp = new TempArrays()) {
            return tmp.add(weight.matMul(x)).add(tmp.add(bias.expandDims(1)));
        }
    }

    /**
     * Same map for a sparse input given as a COO matrix [B*T, in] (rows are (batch, step) pairs):
     * the product touches only the spikes, instead of a dense [B, T, in] input that is ~99% zeros.
     * Returns [B, out, T].
     */
    public NDArray applySparse(NDArray coo, int batch, int steps) {
        try (TempArrays tmp = new TempArrays()) {
            NDArray rows = tmp.add(tmp.add(coo.matMul(tmp.add(weight.transpose()))).add(bias));
            return tmp.add(rows.reshape(batch, steps, weight.getShape().get(0))).transpose(0, 2, 1);
        }
    }
}
