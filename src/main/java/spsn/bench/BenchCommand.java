package spsn.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import spsn.cli.FlagRules;
import spsn.data.BatchAssembler;
import spsn.data.CompactRows;
import spsn.data.DenseBatch;
import spsn.data.SparseBatch;
import spsn.data.SpikeDataset;
import spsn.data.SpikeSample;
import spsn.data.SyntheticDataset;
import spsn.io.MemoryProbe;
import spsn.model.ForwardResult;
import spsn.model.InputPath;
import spsn.model.Network;
import spsn.model.NetworkConfig;
import spsn.model.NeuronOptions;
import spsn.model.NeuronType;
import spsn.io.HostFloats;
import spsn.neuron.NoiseSource;
import spsn.train.Adamax;
import spsn.train.Devices;
import spsn.train.LossMode;
import spsn.train.Losses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
            description = "Neurons to measure, any of --neuron's (ParaLIF's too). Default: ${DEFAULT-VALUE}.")
    List<String> neurons;

    @Option(names = "--recurrent", defaultValue = "false",
            description = "Recurrent hidden layers (ParaLIF's --recurrent) for every neuron measured.")
    boolean recurrent;

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
        FlagRules.positive("--batch_size", batchSize);
        FlagRules.positive("--repeats", repeats);
        FlagRules.notNegative("--warmup", warmup);
        FlagRules.device(device);
        for (String name : neurons) {
            NeuronType.fromCliName(name);
        }
        Device dev = Devices.select(device);
        SpikeDataset data = SyntheticDataset.generate(0, batchSize, 1).train();
        List<SpikeSample> samples = new ArrayList<>(data.samples());
        SparseBatch sparse = BatchAssembler.assembleSparse(samples, data.nbChannels());
        double bins = (double) batchSize * sparse.steps();
        System.out.printf("bench: batch %d, T=%d, %.2f%% of inputs non-zero, %.0f%% of (sample, step) bins non-empty,"
                        + " device %s, %d intra-op threads%n",
                batchSize, sparse.steps(), 100.0 * sparse.spikeCount() / (bins * data.nbChannels()),
                100.0 * (CompactRows.of(sparse).rows() - 1) / bins, dev, Runtime.getRuntime().availableProcessors());
        if (Devices.ownLibtorch()) {
            System.out.println("engine: " + Devices.libtorch());
        }
        double gflops = MatmulSpeed.measureGflops(dev);
        System.out.printf("engine matmul speed: %.1f GFLOP/s (float32)%n", gflops);
        System.out.printf("%-12s %10s %13s %14s %12s %13s %13s%n", "neuron", "forward s", "train step s",
                "s / SHD epoch", "train GFLOP", "FLOP floor s", "fast=plain");
        for (String name : neurons) {
            NeuronType type = NeuronType.fromCliName(name);
            NeuronOptions options = recurrent && type.spiking()
                    ? new NeuronOptions(true, false, false, null, NeuronOptions.DEFAULT.surrogate()) : NeuronOptions.DEFAULT;
            NetworkConfig config = new NetworkConfig(type, data.nbChannels(), 128, 3, data.nbClasses(), 0.02, 0.02,
                    options);
            Row row = measure(dev, config, sparse, samples);
            double trainGflop = FlopCount.trainStep(config, sparse) / 1e9;
            System.out.printf("%-12s %10.3f %13.3f %14.1f %12.1f %13.3f %13s%n", name, row.forward, row.trainStep,
                    row.trainStep * Math.ceil(SHD_TRAIN / (double) batchSize), trainGflop, trainGflop / gflops,
                    row.fastPathsMatch);
        }
        System.out.printf("peak RSS %.0f MiB%n", MemoryProbe.peakRssMiB());
        if (fullEpoch) {
            FullEpoch.run(dev, batchSize);
        }
        return 0;
    }

    private record Row(double forward, double trainStep, String fastPathsMatch) {
    }

    private Row measure(Device dev, NetworkConfig config, SparseBatch sparse, List<SpikeSample> samples) {
        int channels = config.inputSize();
        try (NDManager manager = NDManager.newBaseManager(dev);
             Network network = Network.create(manager, config, 0);
             Adamax optimizer = Adamax.withDefaults(manager)) {
            String matches = fastPathsMatchDense(manager, network, sparse, samples, channels);
            NDArray[] params = network.parameters().values().toArray(NDArray[]::new);
            double[] forward = new double[repeats];
            double[] train = new double[repeats];
            for (int i = -warmup; i < repeats; i++) {
                long t0 = System.nanoTime();
                try (NDManager scope = manager.newSubManager()) {
                    scope.tempAttachAll(params);
                    Losses.logits(network.forward(scope, sparse, NoiseSource.keyed(i, dev)), LossMode.MEAN).toFloatArray();
                }
                long t1 = System.nanoTime();
                try (NDManager scope = manager.newSubManager()) {
                    scope.tempAttachAll(params);
                    NDArray labels = scope.create(sparse.labels());
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        ForwardResult r = network.forward(scope, sparse, NoiseSource.keyed(i, dev));
                        r.backward(gc, Losses.crossEntropy(Losses.logits(r, LossMode.MEAN), labels));
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

    /**
     * Each fast first layer (Java on spike lists; the engine's sparse product) must give the dense
     * path's output and gradients on the same batch and noise. Returns "yes" or what differs.
     */
    private static String fastPathsMatchDense(NDManager manager, Network network, SparseBatch sparse,
                                              List<SpikeSample> samples, int channels) {
        DenseBatch dense = BatchAssembler.assemble(samples, channels);
        Device device = manager.getDevice();
        Map<String, Function<NDManager, ForwardResult>> paths = new LinkedHashMap<>();
        paths.put("dense", scope -> network.forward(scope.create(dense.data(),
                new Shape(dense.batchSize(), dense.steps(), dense.channels())), NoiseSource.keyed(7, device)));
        if (HostFloats.onHost(device)) {
            paths.put("java", scope -> network.forward(scope, sparse, NoiseSource.keyed(7, device), InputPath.JAVA));
        }
        paths.put("engine-sparse", scope -> network.forward(scope, sparse, NoiseSource.keyed(7, device),
                InputPath.ENGINE_SPARSE));
        Map<String, float[][]> results = new LinkedHashMap<>();
        NDArray[] params = network.parameters().values().toArray(NDArray[]::new);
        for (Map.Entry<String, Function<NDManager, ForwardResult>> path : paths.entrySet()) {
            try (NDManager scope = manager.newSubManager()) {
                scope.tempAttachAll(params);
                NDArray labels = scope.create(sparse.labels());
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    ForwardResult r = path.getValue().apply(scope);
                    r.backward(gc, Losses.crossEntropy(Losses.logits(r, LossMode.MEAN), labels));
                    List<float[]> values = new ArrayList<>();
                    values.add(r.output().toFloatArray());
                    for (NDArray p : params) {
                        values.add(p.getGradient().toFloatArray());
                        p.getGradient().subi(p.getGradient());
                    }
                    results.put(path.getKey(), values.toArray(float[][]::new));
                }
            }
        }
        List<String> differing = new ArrayList<>();
        float[][] reference = results.get("dense");
        for (String path : results.keySet()) {
            if (path.equals("dense")) {
                continue;
            }
            for (int i = 0; i < reference.length; i++) {
                if (!close(reference[i], results.get(path)[i])) {
                    differing.add(path + (i == 0 ? " output" : " grad " + i));
                }
            }
        }
        return differing.isEmpty() ? "yes" : "NO: " + String.join(", ", differing);
    }

    /** Equal up to float32 rounding of differently ordered sums: 1e-4 of the array's scale. */
    private static boolean close(float[] expected, float[] actual) {
        double scale = 1e-12;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > 1e-4 * scale) {
                return false;
            }
        }
        return true;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
