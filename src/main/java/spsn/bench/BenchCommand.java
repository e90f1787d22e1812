package spsn.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import spsn.cli.FlagRules;
import spsn.data.BatchAssembler;
import spsn.data.CompactRows;
import spsn.data.SparseBatch;
import spsn.data.SpikeDataset;
import spsn.data.SpikeSample;
import spsn.data.SyntheticDataset;
import spsn.io.MemoryProbe;
import spsn.model.InputPath;
import spsn.model.Network;
import spsn.model.NetworkConfig;
import spsn.model.NeuronOptions;
import spsn.model.NeuronType;
import spsn.io.HostFloats;
import spsn.train.Adamax;
import spsn.train.Devices;
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
            Row row = measure(dev, config, sparse);
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

    private Row measure(Device dev, NetworkConfig config, SparseBatch sparse) {
        try (NDManager manager = NDManager.newBaseManager(dev);
             Network network = Network.create(manager, config, 0);
             Adamax optimizer = Adamax.withDefaults(manager)) {
            TrainStep step = trainStep(network, optimizer, manager);
            String matches = fastPathsMatchDense(step, sparse, manager.getDevice());
            double[] forward = new double[repeats];
            double[] train = new double[repeats];
            for (int i = -warmup; i < repeats; i++) {
                long t0 = System.nanoTime();
                step.evaluate(sparse, step.noise(i));
                long t1 = System.nanoTime();
                step.train(sparse, step.noise(i), 0);
                long t2 = System.nanoTime();
                if (i >= 0) {
                    forward[i] = (t1 - t0) / 1e9;
                    train[i] = (t2 - t1) / 1e9;
                }
            }
            return new Row(median(forward), median(train), matches);
        }
    }

    /** The step the bench times: the training step itself, with the default loss and Adamax. */
    static TrainStep trainStep(Network network, Adamax optimizer, NDManager manager) {
        return new TrainStep(network, optimizer, manager, Objective.crossEntropy(LossMode.MEAN), null);
    }

    /**
     * Each fast first layer (Java on spike lists; the engine's sparse product) must give the dense
     * path's output and gradients on the same batch and noise. Returns "yes" or what differs.
     */
    static String fastPathsMatchDense(TrainStep step, SparseBatch sparse, Device device) {
        List<InputPath> paths = new ArrayList<>(List.of(InputPath.DENSE, InputPath.JAVA, InputPath.ENGINE_SPARSE));
        if (!HostFloats.onHost(device)) {
            paths.remove(InputPath.JAVA); // Java reads and writes the tensors' memory: CPU only
        }
        Map<InputPath, float[][]> results = new LinkedHashMap<>();
        for (InputPath path : paths) {
            results.put(path, step.gradients(sparse, step.noise(7), path, c -> {
                List<float[]> values = new ArrayList<>();
                values.add(c.result().output().toFloatArray());
                for (NDArray p : step.network().parameters().values()) {
                    values.add(p.getGradient().toFloatArray());
                }
                return values.toArray(float[][]::new);
            }));
        }
        List<String> differing = new ArrayList<>();
        float[][] reference = results.get(InputPath.DENSE);
        for (InputPath path : results.keySet()) {
            if (path == InputPath.DENSE) {
                continue;
            }
            for (int i = 0; i < reference.length; i++) {
                if (!close(reference[i], results.get(path)[i])) {
                    differing.add(pathName(path) + (i == 0 ? " output" : " grad " + i));
                }
            }
        }
        return differing.isEmpty() ? "yes" : "NO: " + String.join(", ", differing);
    }

    /** The names the bench's column has always used. */
    private static String pathName(InputPath path) {
        return path == InputPath.ENGINE_SPARSE ? "engine-sparse" : path.name().toLowerCase(Locale.ROOT);
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
