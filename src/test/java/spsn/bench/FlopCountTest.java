package spsn.bench;

import org.junit.jupiter.api.Test;
import spsn.data.BatchAssembler;
import spsn.data.SparseBatch;
import spsn.data.SpikeDataset;
import spsn.data.SyntheticDataset;
import spsn.model.IntegrationPath;
import spsn.model.NetworkConfig;
import spsn.model.NeuronOptions;
import spsn.model.NeuronType;
import spsn.neuron.spike.Surrogate;

import java.util.ArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bench's FLOP count: a recurrent network adds its recurrent products, three ways each. */
class FlopCountTest {

    private static NetworkConfig config(String neuron, boolean recurrent) {
        NeuronOptions options = new NeuronOptions(recurrent, false, false, null, Surrogate.DEFAULT, false);
        return new NetworkConfig(NeuronType.fromCliName(neuron), 700, 128, 3, 20, 0.02, 0.02, options);
    }

    @Test
    void recurrentLayersAddTheirRecurrentProducts() {
        SpikeDataset data = SyntheticDataset.generate(0, 4, 1).train();
        SparseBatch batch = BatchAssembler.assembleSparse(new ArrayList<>(data.samples()), data.nbChannels());
        double rows = (double) batch.batchSize() * batch.steps();
        // [T*B, 128] x [128, 128] per hidden layer: forward, and two products backward
        double recurrentProducts = 3 * 3 * 2 * rows * 128 * 128;
        for (String neuron : new String[] {"ParaLIF-SD", "LIF"}) {
            double feedForward = FlopCount.trainStep(config(neuron, false), batch, IntegrationPath.JAVA);
            double recurrent = FlopCount.trainStep(config(neuron, true), batch, IntegrationPath.JAVA);
            assertEquals(recurrentProducts, recurrent - feedForward, 1e-6 * recurrent, neuron);
        }
        // with the engine's integration a recurrent parallel layer integrates twice
        double once = FlopCount.trainStep(config("ParaLIF-SD", false), batch, IntegrationPath.ENGINE)
                - FlopCount.trainStep(config("ParaLIF-SD", false), batch, IntegrationPath.JAVA);
        double twice = FlopCount.trainStep(config("ParaLIF-SD", true), batch, IntegrationPath.ENGINE)
                - FlopCount.trainStep(config("ParaLIF-SD", true), batch, IntegrationPath.JAVA);
        assertEquals(2 * once, twice, 1e-6 * twice);
    }
}
