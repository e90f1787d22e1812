import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import spsn.data.BatchAssembler;
import spsn.data.SparseBatch;
import spsn.data.SpikeDataset;
import spsn.data.SyntheticDataset;
import spsn.io.HostFloats;
import spsn.model.InputPath;
import spsn.model.IntegrationPath;
import spsn.model.Network;
import spsn.model.NetworkConfig;
import spsn.model.NeuronOptions;
import spsn.model.NeuronType;
import spsn.neuron.CounterNoise;
import spsn.neuron.NoiseSource;
import spsn.train.Adamax;
import spsn.train.LossMode;
import spsn.train.Objective;
import spsn.train.TrainStep;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes the bench's recurrent ParaLIF-D network (or a smaller one), its batch and, for the plain
 * path, the fast path and the plain path rounded otherwise (as the bench's check does it), the
 * output, every gradient and every integrated membrane, for float64_check.py. See README.md.
 *
 * <p>java -cp target/spsn.jar tools/fastpath/DumpPaths.java DIR [batch steps hidden layers [neuron]]
 */
public class DumpPaths {

    public static void main(String[] args) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        Path dir = Path.of(args[0]);
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 1126;
        int hidden = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        int layers = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        String neuron = args.length > 5 ? args[5] : "ParaLIF-D";
        Files.createDirectories(dir);
        SpikeDataset data = SyntheticDataset.generate(0, batch, 1).train();
        SparseBatch sparse = firstSteps(BatchAssembler.assembleSparse(new ArrayList<>(data.samples()),
                data.nbChannels()), steps);
        NeuronOptions recurrent = new NeuronOptions(true, false, false, null, NeuronOptions.DEFAULT.surrogate());
        NetworkConfig config = new NetworkConfig(NeuronType.fromCliName(neuron), data.nbChannels(), hidden, layers,
                data.nbClasses(), 0.02, 0.02, recurrent);
        try (NDManager manager = NDManager.newBaseManager();
             PrintWriter meta = new PrintWriter(Files.newBufferedWriter(dir.resolve("meta.txt")));
             Network network = Network.create(manager, config, 0);
             Adamax optimizer = Adamax.withDefaults(manager)) {
            meta.printf("batch %d steps %d channels %d layers %d hidden %d classes %d%n", batch, sparse.steps(),
                    sparse.channels(), layers, hidden, data.nbClasses());
            writeInts(dir.resolve("input.i32"), sparse.flatIndex());
            writeInts(dir.resolve("labels.i32"), Arrays.stream(sparse.labels()).mapToInt(l -> (int) l).toArray());
            int k = 0;
            for (Map.Entry<String, NDArray> e : network.state().entrySet()) {
                String file = "state" + k++ + ".f32";
                meta.printf("state %s %s %s %b%n", e.getKey(), file, shape(e.getValue().getShape()),
                        network.parameters().containsKey(e.getKey()));
                writeFloats(dir.resolve(file), e.getValue().toFloatArray());
            }
            // the bench's step and noise (FastPathCheck: key 7; the yardstick's moves: key 11)
            TrainStep step = new TrainStep(network, optimizer, manager, Objective.crossEntropy(LossMode.MEAN), null);
            run(step, sparse, "plain", InputPath.DENSE, IntegrationPath.ENGINE, step.noise(7), dir, meta);
            run(step, sparse, "fast", InputPath.JAVA, IntegrationPath.JAVA, step.noise(7), dir, meta);
            List<NDArray> parameters = new ArrayList<>(network.parameters().values());
            List<float[]> saved = new ArrayList<>();
            Random random = new Random(7);
            for (NDArray parameter : parameters) {
                float[] values = parameter.toFloatArray();
                saved.add(values);
                float[] nudged = values.clone();
                for (int i = 0; i < nudged.length; i++) {
                    nudged[i] = random.nextBoolean() ? Math.nextUp(nudged[i]) : Math.nextDown(nudged[i]);
                }
                HostFloats.write(parameter, nudged);
            }
            run(step, sparse, "nudged", InputPath.DENSE, IntegrationPath.ENGINE, step.noise(7), dir, meta);
            run(step, sparse, "moved", InputPath.DENSE, IntegrationPath.ENGINE, new Moved(step.noise(7), 11), dir,
                    meta);
            for (int p = 0; p < parameters.size(); p++) {
                HostFloats.write(parameters.get(p), saved.get(p));
            }
        }
    }

    /** RoundingJitter's moves (package-private there): every membrane times 1 + e, e uniform in ±2^-21. */
    record Moved(NoiseSource noise, NoiseSource moves) implements NoiseSource {
        Moved(NoiseSource noise, long key) {
            this(noise, new CounterNoise(key));
        }

        @Override
        public NDArray uniform(NDManager manager, Shape shape) {
            return noise.uniform(manager, shape);
        }

        @Override
        public NDArray membrane(NDArray integrated) {
            try (NDArray u = moves.uniform(integrated.getManager(), integrated.getShape());
                 NDArray scaled = u.mul(2 * 0x1p-21f);
                 NDArray factor = scaled.add(1 - 0x1p-21f);
                 NDArray in = integrated) {
                return in.mul(factor);
            }
        }
    }

    /** Records every integrated membrane the pass's layers see, in order. */
    static final class Recorder implements NoiseSource {
        final NoiseSource noise;
        final List<float[]> membranes = new ArrayList<>();
        final List<String> shapes = new ArrayList<>();

        Recorder(NoiseSource noise) {
            this.noise = noise;
        }

        @Override
        public NDArray uniform(NDManager manager, Shape shape) {
            return noise.uniform(manager, shape);
        }

        @Override
        public NDArray membrane(NDArray integrated) {
            NDArray seen = noise.membrane(integrated);
            membranes.add(seen.toFloatArray());
            shapes.add(shape(seen.getShape()));
            return seen;
        }
    }

    static void run(TrainStep step, SparseBatch sparse, String name, InputPath input, IntegrationPath integration,
                    NoiseSource noise, Path dir, PrintWriter meta) throws IOException {
        Recorder recorder = new Recorder(noise);
        List<float[]> arrays = new ArrayList<>();
        List<String> shapes = new ArrayList<>();
        step.gradients(sparse, recorder, input, integration, c -> {
            arrays.add(c.result().output().toFloatArray());
            shapes.add(shape(c.result().output().getShape()));
            for (NDArray p : step.network().parameters().values()) {
                arrays.add(p.getGradient().toFloatArray());
                shapes.add(shape(p.getGradient().getShape()));
            }
            return null;
        });
        for (int i = 0; i < arrays.size(); i++) {
            meta.printf("%s out %d %s_out%d.f32 %s%n", name, i, name, i, shapes.get(i));
            writeFloats(dir.resolve(name + "_out" + i + ".f32"), arrays.get(i));
        }
        for (int i = 0; i < recorder.membranes.size(); i++) {
            meta.printf("%s membrane %d %s_mem%d.f32 %s%n", name, i, name, i, recorder.shapes.get(i));
            writeFloats(dir.resolve(name + "_mem" + i + ".f32"), recorder.membranes.get(i));
        }
        meta.flush();
        System.out.println(name + " done");
    }

    static String shape(Shape shape) {
        return shape.dimension() == 0 ? "scalar"
                : String.join("x", Arrays.stream(shape.getShape()).mapToObj(Long::toString).toList());
    }

    /** The batch cut to its first {@code steps} steps. */
    static SparseBatch firstSteps(SparseBatch full, int steps) {
        if (steps >= full.steps()) {
            return full;
        }
        int[] kept = Arrays.stream(full.flatIndex()).filter(i -> i / full.channels() % full.steps() < steps)
                .map(i -> {
                    int channel = i % full.channels();
                    int step = i / full.channels() % full.steps();
                    int sample = i / full.channels() / full.steps();
                    return (sample * steps + step) * full.channels() + channel;
                }).toArray();
        return new SparseBatch(kept, full.batchSize(), steps, full.channels(), full.labels());
    }

    static void writeFloats(Path file, float[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        Files.write(file, b.array());
    }

    static void writeInts(Path file, int[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        Files.write(file, b.array());
    }
}
