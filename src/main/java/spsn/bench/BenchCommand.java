package spsn.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import spsn.data.BatchAssembler;
import spsn.io.MemoryProbe;
import spsn.data.DenseBatch;
import spsn.data.SparseBatch;
import spsn.data.SpikeDataset;
import spsn.data.SpikeSample;
import spsn.data.SyntheticDataset;
import spsn.model.ForwardResult;
import spsn.model.Network;
import spsn.model.NetworkConfig;
import spsn.model.NeuronType;
import spsn.train.Adamax;
import spsn.train.BatchTensors;
import spsn.train.Devices;
import spsn.train.LossMode;
import spsn.train.Losses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code spsn bench}: seconds per batch of each neuron on SHD-sized synthetic data, forward alone
 * and forward+backward+Adamax step, with the projection to one SHD epoch (8156 samples).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures seconds per batch (forward; forward+backward+step) for each neuron on SHD-sized data.")
public final class BenchCommand implements Callable<Integer> {

    /** Training samples of SHD: the projection of seconds per epoch. */
    static final int SHD_TRAIN = 8156;

    @Option(names = "--neurons", split = ",", defaultValue = "SPSN-SB,SPSN-GS,Non-Spiking,LIF",
            description = "Neurons to measure. Default: ${DEFAULT-VALUE}.")
    List<String> neurons;

    @Option(names = "--batch_size", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--repeats", defaultValue = "5", description = "Timed batches per neuron (median). Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed batches first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--full_epoch", defaultValue = "false",
            description = "Also train one real SPSN-SB epoch on a full-size (8156-sample) synthetic set.")
    boolean fullEpoch;

    @Override
    public Integer call() {
        Device dev = Devices.select(device);
        SpikeDataset data = SyntheticDataset.generate(0, batchSize, 1).train();
        List<SpikeSample> samples = new ArrayList<>(data.samples());
        SparseBatch sparse = BatchAssembler.assembleSparse(samples, data.nbChannels());
        System.out.printf("bench: batch %d, T=%d, %.2f%% of inputs non-zero, device %s, %d intra-op threads%n",
                batchSize, sparse.steps(), 100.0 * sparse.spikeCount() / ((double) batchSize * sparse.steps()
                        * data.nbChannels()), dev, Runtime.getRuntime().availableProcessors());
        double gflops = MatmulSpeed.measureGflops(dev);
        System.out.printf("engine matmul speed: %.1f GFLOP/s (float32)%n", gflops);
        System.out.printf("%-12s %10s %13s %14s %12s %13s %13s%n", "neuron", "forward s", "train step s",
                "s / SHD epoch", "train GFLOP", "FLOP floor s", "sparse=dense");
        for (String name : neurons) {
            NeuronType type = NeuronType.fromCliName(name);
            NetworkConfig config = new NetworkConfig(type, data.nbChannels(), 128, 3, data.nbClasses(), 0.02, 0.02);
            Row row = measure(dev, config, sparse, samples);
            double trainGflop = FlopCount.trainStep(config, sparse) / 1e9;
            System.out.printf("%-12s %10.3f %13.3f %14.1f %12.1f %13.3f %13s%n", name, row.forward, row.trainStep,
                    row.trainStep * Math.ceil(SHD_TRAIN / (double) batchSize), trainGflop, trainGflop / gflops,
                    row.fastPathMatches ? "yes" : "NO");
        }
        System.out.printf("peak RSS %.0f MiB%n", MemoryProbe.peakRssMiB());
        if (fullEpoch) {
            FullEpoch.run(dev, batchSize);
        }
        return 0;
    }

    private record Row(double forward, double trainStep, boolean fastPathMatches) {
    }

    private Row measure(Device dev, NetworkConfig config, SparseBatch sparse, List<SpikeSample> samples) {
        int channels = config.inputSize();
        try (NDManager manager = NDManager.newBaseManager(dev);
             Network network = Network.create(manager, config, 0);
             Adamax optimizer = Adamax.withDefaults(manager)) {
            NDArray[] params = network.parameters().values().toArray(NDArray[]::new);
            boolean matches = fastPathMatchesDense(manager, network, params, sparse, samples, channels);
            double[] forward = new double[repeats];
            double[] train = new double[repeats];
            for (int i = -warmup; i < repeats; i++) {
                long t0 = System.nanoTime();
                try (NDManager scope = manager.newSubManager()) {
                    scope.tempAttachAll(params);
                    NDArray x = BatchTensors.sparseInput(scope, sparse);
                    network.forwardSparse(x, sparse.batchSize(), sparse.steps(), spsn.neuron.NoiseSource.engine())
                            .output().toFloatArray();
                }
                long t1 = System.nanoTime();
                try (NDManager scope = manager.newSubManager()) {
                    scope.tempAttachAll(params);
                    NDArray x = BatchTensors.sparseInput(scope, sparse);
                    NDArray labels = scope.create(sparse.labels());
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        ForwardResult r = network.forwardSparse(x, sparse.batchSize(), sparse.steps(),
                                spsn.neuron.NoiseSource.engine());
                        gc.backward(Losses.crossEntropy(r.output(), labels, LossMode.MEAN));
                    }
                }
                optimizer.step(network.parameters());
                long t2 = System.nanoTime();
                if (i >= 0) {
                    forward[i] = (t1 - t0) / 1e9;
                    train[i] = (t2 - t1) / 1e9;
                }
            }
            return new Row(median(forward), median(train), matches);
        }
    }

    /** The sparse first layer must give the dense path's output (same noise). */
    private static boolean fastPathMatchesDense(NDManager manager, Network network, NDArray[] params,
                                                SparseBatch sparse, List<SpikeSample> samples, int channels) {
        DenseBatch dense = BatchAssembler.assemble(samples, channels);
        try (NDManager scope = manager.newSubManager()) {
            scope.tempAttachAll(params);
            Engine.getInstance().setRandomSeed(7);
            NDArray fast = network.forwardSparse(BatchTensors.sparseInput(scope, sparse), sparse.batchSize(),
                    sparse.steps(), spsn.neuron.NoiseSource.engine()).output();
            Engine.getInstance().setRandomSeed(7);
            NDArray plain = network.forward(scope.create(dense.data(), new Shape(dense.batchSize(), dense.steps(),
                    dense.channels())), spsn.neuron.NoiseSource.engine()).output();
            return fast.allClose(plain, 1e-4, 1e-4, false);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
