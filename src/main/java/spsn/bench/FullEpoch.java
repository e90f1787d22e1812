package spsn.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import spsn.data.BatchOrder;
import spsn.data.SpikeDataset;
import spsn.data.SyntheticDataset;
import spsn.io.MemoryProbe;
import spsn.model.Network;
import spsn.model.NetworkConfig;
import spsn.model.NeuronType;
import spsn.progress.ProgressDisplay;
import spsn.train.Adamax;
import spsn.train.EpochResult;
import spsn.train.HeapTrim;
import spsn.train.LossMode;
import spsn.train.Trainer;

import java.io.PrintWriter;

/** One real SPSN-SB training epoch on a full SHD-sized synthetic set, as a user would run it. */
final class FullEpoch {

    private FullEpoch() {
    }

    static void run(Device device, int batchSize) {
        long t0 = System.nanoTime();
        SpikeDataset train = SyntheticDataset.generate(0, BenchCommand.SHD_TRAIN, 1).train();
        HeapTrim.afterLoading();
        System.out.printf("full epoch: %d synthetic samples generated in %.1f s%n", train.size(),
                (System.nanoTime() - t0) / 1e9);
        NetworkConfig config = new NetworkConfig(NeuronType.SPSN_SB, train.nbChannels(), 128, 3, train.nbClasses(),
                0.02, 0.02);
        try (NDManager manager = NDManager.newBaseManager(device);
             Network network = Network.create(manager, config, 0);
             Adamax optimizer = Adamax.withDefaults(manager)) {
            Trainer trainer = new Trainer(network, optimizer, manager, LossMode.MEAN, 0);
            BatchOrder order = new BatchOrder(train.size(), batchSize, true, 0);
            EpochResult epoch = trainer.trainEpoch(train, order, 0, null, 0,
                    ProgressDisplay.create(true, new PrintWriter(System.out, true)), "SPSN-SB full epoch");
            System.out.printf("full epoch SPSN-SB: %.1f s for %d batches (%.3f s/batch), loss %.5f, accuracy %.4f,"
                    + " peak RSS %.0f MiB%n", epoch.seconds(), order.batchCount(), epoch.seconds() / order.batchCount(),
                    epoch.loss(), epoch.accuracy(), MemoryProbe.peakRssMiB());
        }
    }
}
