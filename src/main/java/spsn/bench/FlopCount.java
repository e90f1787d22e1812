package spsn.bench;

import spsn.data.CompactRows;
import spsn.data.SparseBatch;
import spsn.model.IntegrationPath;
import spsn.model.NetworkConfig;
import spsn.model.NeuronType;
import spsn.neuron.LeakyIntegrator;

/**
 * Multiply-add work of one training step, counting the matrix products only: at the engine's
 * matrix speed, the time below which this algorithm cannot go (element-wise work comes on top).
 */
final class FlopCount {

    private static final int CHUNK = LeakyIntegrator.CHUNK;

    private FlopCount() {
    }

    /** FLOPs of forward + backward (backward of a product costs two products). */
    static double trainStep(NetworkConfig c, SparseBatch batch, IntegrationPath integration) {
        return 3 * forward(c, batch, integration);
    }

    /**
     * The products as this tool computes them: the first layer touches only the spikes, the
     * output layer enters the mean-over-time loss as one weighted sum over time (see
     * spsn.model.OutputLayer), each firing layer is integrated in chunks of CHUNK steps by the
     * engine (the Java recurrence has no products: its few multiply-adds per element are
     * element-wise work, like the spike functions), and Non-Spiking networks run on the non-empty
     * bins and one empty bin only (CompactRows); recurrent layers add their recurrent Linear.
     */
    static double forward(NetworkConfig c, SparseBatch batch, IntegrationPath integration) {
        double rows = c.neuron().spiking() ? (double) batch.batchSize() * batch.steps() : CompactRows.of(batch).rows();
        double flops = 2.0 * batch.spikeCount() * c.hiddenSize(); // spike-list first layer
        flops += 2 * rows * c.hiddenSize() * c.hiddenSize() * (c.nbLayers() - 1);
        flops += 2 * rows * c.hiddenSize(); // readout: weighted sum over time, then [B, H] x [H, C]
        boolean recurrent = c.neuron().spiking() && c.options().recurrent();
        if (recurrent) { // each hidden layer's recurrent Linear (the output layer is never recurrent)
            flops += 2 * rows * c.hiddenSize() * c.hiddenSize() * c.nbLayers();
        }
        if (c.neuron().spiking() && integration == IntegrationPath.ENGINE) {
            double padded = (double) batch.batchSize() * Math.ceil(batch.steps() / (double) CHUNK) * CHUNK;
            // a recurrent parallel layer integrates twice (its input, then input plus feedback)
            int integrations = recurrent && c.neuron().dynamics() == NeuronType.Dynamics.PARALLEL ? 2 : 1;
            flops += 2 * padded * c.hiddenSize() * c.nbLayers() * (CHUNK + 4) * integrations;
        }
        return flops;
    }
}
