package spsn.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import spsn.data.BatchAssembler;
import spsn.data.SparseBatch;
import spsn.data.SpikeSample;
import spsn.model.Network;
import spsn.model.NetworkConfig;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A few untimed training steps on a throwaway network of the run's shape, taken while another
 * thread loads the data, so that the first epoch does not pay what the later ones do not: the
 * engine's start, the JIT compilation of the Java kernels and the engine's first calls (see
 * README, Speed: the first epoch).
 *
 * <p>The steps run on the thread that then trains, not on the loader's: the engine turns
 * gradient recording off on the thread that starts it, and libtorch's worker threads (OpenMP)
 * belong to the thread that calls it; both must be the training thread's, as without a warm-up.
 *
 * <p>The run's numbers do not change: the network, its optimizer and the batch are the
 * warm-up's own (its own NDManager, freed when it ends), and nothing the run draws depends on
 * it (initialisation, batch order and neuron noise are keyed by the run's seed, none comes from
 * a shared generator). A warm-up that fails is dropped quietly: the run does the same things
 * right after and reports what fails there.
 */
public final class TrainingWarmup {

    /** Time steps of the warm-up batch: enough for the kernels' loops to be compiled. */
    static final int STEPS = 128;
    /** Training steps, then one evaluation (the test's path). */
    static final int TRAIN_STEPS = 3;
    /**
     * Input spikes per sample and time step: an SHD sample's ~9000 spikes in {@value #STEPS} steps,
     * so that the first layer and the batch assembly, whose loops run over spikes, are compiled too.
     */
    private static final int SPIKES_PER_STEP = 64;
    /** Larger batches compile the same code. */
    private static final int MAX_BATCH = 64;

    private final NetworkConfig config;
    private final int batchSize;
    private final String deviceChoice;
    private final Objective objective;

    /**
     * Steps of a network of {@code config} on batches of {@code batchSize} (at most
     * {@value #MAX_BATCH}) on {@code deviceChoice}, with the run's {@code objective}. The config's
     * input size and classes are the dataset's published ones (the data is not loaded yet).
     */
    public TrainingWarmup(NetworkConfig config, int batchSize, String deviceChoice, Objective objective) {
        this.config = config;
        this.batchSize = Math.max(1, Math.min(batchSize, MAX_BATCH));
        this.deviceChoice = deviceChoice;
        this.objective = objective;
    }

    /**
     * Runs {@code load} on a thread of its own and the warm-up on this one, then returns what
     * {@code load} gave, or throws what it threw. Warm-up steps stop early once the load failed.
     */
    public <T> T whileLoading(Supplier<T> load) {
        // both threads log (jhdf, the engine): SLF4J starts here first, or it warns on stderr that it
        // replays the calls made while another thread was starting it
        LoggerFactory.getILoggerFactory();
        CompletableFuture<T> loaded = new CompletableFuture<>();
        Thread loader = new Thread(() -> {
            try {
                loaded.complete(load.get());
            } catch (Throwable e) {
                loaded.completeExceptionally(e);
            }
        }, "spsn-load");
        loader.setDaemon(true); // a run stopped while loading does not wait for it
        loader.start();
        run(loaded::isCompletedExceptionally);
        try {
            return loaded.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** The warm-up, until it is done or {@code stop} says so; returns the training steps and evaluations taken. */
    int run(BooleanSupplier stop) {
        int taken = 0;
        try {
            Device device = Devices.select(deviceChoice);
            SparseBatch batch = batch(batchSize, config.inputSize(), config.nbClasses());
            try (NDManager manager = NDManager.newBaseManager(device);
                 Network network = Network.create(manager, config, 0);
                 Adamax optimizer = Adamax.withDefaults(manager)) {
                TrainStep step = new TrainStep(network, optimizer, manager, objective, null);
                for (; taken < TRAIN_STEPS && !stop.getAsBoolean(); taken++) {
                    step.train(batch, step.noise(taken), 0);
                }
                if (!stop.getAsBoolean()) {
                    step.evaluate(batch, step.noise(taken));
                    taken++;
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // dropped: the run itself does the same right after and reports the failure there
        }
        return taken;
    }

    /** A batch of random spikes, {@value #SPIKES_PER_STEP} per sample and step. */
    private static SparseBatch batch(int size, int channels, int classes) {
        SplittableRandom random = new SplittableRandom(0);
        List<SpikeSample> samples = new ArrayList<>(size);
        for (int s = 0; s < size; s++) {
            int[] bins = new int[STEPS * SPIKES_PER_STEP];
            short[] units = new short[bins.length];
            for (int k = 0; k < bins.length; k++) {
                bins[k] = k / SPIKES_PER_STEP;
                units[k] = (short) random.nextInt(channels);
            }
            samples.add(new SpikeSample(bins, units, s % classes, STEPS));
        }
        return BatchAssembler.assembleSparse(samples, channels);
    }
}
