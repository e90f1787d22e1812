package spsn.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import spsn.SpsnException;
import spsn.cli.FlagRules;
import spsn.data.BatchAssembler;
import spsn.data.CompactRows;
import spsn.data.SparseBatch;
import spsn.data.SpikeDataset;
import spsn.data.SpikeSample;
import spsn.data.SyntheticDataset;
import spsn.engine.MklCodePaths;
import spsn.io.MemoryProbe;
import spsn.model.InputPath;
import spsn.model.IntegrationPath;
import spsn.model.Network;
import spsn.model.NetworkConfig;
import spsn.model.NeuronOptions;
import spsn.model.NeuronType;
import spsn.io.HostFloats;
import spsn.train.Adamax;
import spsn.train.Devices;
import spsn.train.HeapTrim;
import spsn.train.LossMode;
import spsn.train.Objective;
import spsn.train.TrainStep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    @Option(names = "--integration", split = ",",
            description = "How spiking layers integrate: java (the recurrence, CPU only), engine (chunked products),"
                    + " or both, measured alternately batch by batch for an A/B at the same moment."
                    + " Default: the device's fastest.")
    List<String> integrations;

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
        List<IntegrationPath> paths = integrationPaths(dev);
        SpikeDataset data = SyntheticDataset.generate(0, batchSize, 1).train();
        List<SpikeSample> samples = new ArrayList<>(data.samples());
        SparseBatch sparse = BatchAssembler.assembleSparse(samples, data.nbChannels());
        double bins = (double) batchSize * sparse.steps();
        System.out.printf("bench: batch %d, T=%d, %.2f%% of inputs non-zero, %.0f%% of (sample, step) bins non-empty,"
                        + " device %s, %d intra-op threads, %s malloc%n",
                batchSize, sparse.steps(), 100.0 * sparse.spikeCount() / (bins * data.nbChannels()),
                100.0 * (CompactRows.of(sparse).rows() - 1) / bins, dev, Runtime.getRuntime().availableProcessors(),
                MemoryProbe.nativeAllocator());
        if (Devices.ownLibtorch()) {
            System.out.println("engine: " + Devices.libtorch());
        }
        double gflops = MatmulSpeed.measureGflops(dev);
        System.out.printf("engine matmul speed: %.1f GFLOP/s (float32%s)%n", gflops,
                MklCodePaths.loadedHere() ? "; MKL on its Intel kernels, see " + MklCodePaths.CHOICE : "");
        System.out.printf("%-20s %10s %13s %14s %12s %13s %11s %13s%n", "neuron (integration)", "forward s",
                "train step s", "s / SHD epoch", "train GFLOP", "FLOP floor s", "step/floor", "fast=plain");
        for (String name : neurons) {
            NeuronType type = NeuronType.fromCliName(name);
            NeuronOptions options = recurrent && type.spiking()
                    ? new NeuronOptions(true, false, false, null, NeuronOptions.DEFAULT.surrogate()) : NeuronOptions.DEFAULT;
            NetworkConfig config = new NetworkConfig(type, data.nbChannels(), 128, 3, data.nbClasses(), 0.02, 0.02,
                    options);
            // the integration matters to spiking networks only
            List<IntegrationPath> measured = type.spiking() ? paths : List.of(paths.get(0));
            Map<IntegrationPath, Row> rows = measure(dev, config, sparse, measured);
            HeapTrim.betweenPhases(); // each network's batches leave their own high-water mark
            for (Map.Entry<IntegrationPath, Row> e : rows.entrySet()) {
                Row row = e.getValue();
                double trainGflop = FlopCount.trainStep(config, sparse, e.getKey()) / 1e9;
                double floor = trainGflop / gflops;
                String label = type.spiking() ? name + " (" + e.getKey().name().toLowerCase(Locale.ROOT) + ")"
                        : name;
                System.out.printf("%-20s %10.3f %13.3f %14.1f %12.1f %13.3f %11.2f %13s%n", label, row.forward,
                        row.trainStep, row.trainStep * Math.ceil(SHD_TRAIN / (double) batchSize), trainGflop, floor,
                        row.trainStep / floor, row.fastPathsMatch);
            }
        }
        System.out.printf("peak RSS %.0f MiB%n", MemoryProbe.peakRssMiB());
        if (fullEpoch) {
            FullEpoch.run(dev, batchSize);
        }
        return 0;
    }

    /** --integration's values; the Java recurrence only on the CPU. */
    private List<IntegrationPath> integrationPaths(Device dev) {
        if (integrations == null || integrations.isEmpty()) {
            return List.of(IntegrationPath.forDevice(dev));
        }
        List<IntegrationPath> out = new ArrayList<>();
        for (String value : integrations) {
            IntegrationPath path = switch (value) {
                case "java" -> IntegrationPath.JAVA;
                case "engine" -> IntegrationPath.ENGINE;
                default -> throw SpsnException.usage("--integration: unknown path '" + value
                        + "'; choose java or engine");
            };
            if (path == IntegrationPath.JAVA && !HostFloats.onHost(dev)) {
                throw SpsnException.usage("--integration: java runs on the CPU only; use engine with --device gpu");
            }
            if (!out.contains(path)) {
                out.add(path);
            }
        }
        return out;
    }

    private record Row(double forward, double trainStep, String fastPathsMatch) {
    }

    /**
     * Median seconds per batch for each integration path, on one network: the paths take turns
     * batch by batch, so that a load that comes and goes weighs on all of them alike.
     */
    private Map<IntegrationPath, Row> measure(Device dev, NetworkConfig config, SparseBatch sparse,
                                              List<IntegrationPath> paths) {
        try (NDManager manager = NDManager.newBaseManager(dev);
             Network network = Network.create(manager, config, 0);
             Adamax optimizer = Adamax.withDefaults(manager)) {
            TrainStep step = trainStep(network, optimizer, manager);
            String matches = FastPathCheck.run(step, sparse, manager.getDevice());
            double[][] forward = new double[paths.size()][repeats];
            double[][] train = new double[paths.size()][repeats];
            for (int i = -warmup; i < repeats; i++) {
                for (int p = 0; p < paths.size(); p++) {
                    long t0 = System.nanoTime();
                    step.evaluate(sparse, step.noise(i), paths.get(p));
                    long t1 = System.nanoTime();
                    step.train(sparse, step.noise(i), 0, paths.get(p));
                    long t2 = System.nanoTime();
                    if (i >= 0) {
                        forward[p][i] = (t1 - t0) / 1e9;
                        train[p][i] = (t2 - t1) / 1e9;
                    }
                }
            }
            Map<IntegrationPath, Row> rows = new LinkedHashMap<>();
            for (int p = 0; p < paths.size(); p++) {
                rows.put(paths.get(p), new Row(median(forward[p]), median(train[p]), matches));
            }
            return rows;
        }
    }

    /** The step the bench times: the training step itself, with the default loss and Adamax. */
    static TrainStep trainStep(Network network, Adamax optimizer, NDManager manager) {
        return new TrainStep(network, optimizer, manager, Objective.crossEntropy(LossMode.MEAN), null);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
