package spsn.bench;

import spsn.data.SparseBatch;
import spsn.model.NetworkConfig;
import spsn.neuron.LeakyIntegrator;

/**
 * Multiply-add work of one training step, counting the matrix products only (the floor below
 * which no implementation on the same hardware can go; element-wise work comes on top).
 */
final class FlopCount {

    private static final int CHUNK = LeakyIntegrator.CHUNK;

    private FlopCount() {
    }

    /** FLOPs of forward + backward (backward of a product costs two products). */
    static double trainStep(NetworkConfig c, SparseBatch batch) {
        return 3 * forward(c, batch);
    }

    static double forward(NetworkConfig c, SparseBatch batch) {
        double rows = (double) batch.batchSize() * batch.steps();
        double flops = 2.0 * batch.spikeCount() * c.hiddenSize(); // sparse first layer
        flops += 2 * rows * c.hiddenSize() * c.hiddenSize() * (c.nbLayers() - 1);
        flops += 2 * rows * c.hiddenSize() * c.nbClasses();
        if (c.neuron().spiking()) {
            double padded = (double) batch.batchSize() * Math.ceil(batch.steps() / (double) CHUNK) * CHUNK;
            double integratedNeurons = (double) c.hiddenSize() * c.nbLayers() + c.nbClasses();
            flops += 2 * padded * integratedNeurons * (CHUNK + 3);
        }
        return flops;
    }
}
