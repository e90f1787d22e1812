package spsn.model;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import spsn.SpsnException;

/**
 * What a network's sizes imply before anything is built: no weight matrix may have more
 * elements than one tensor (a Java array) can hold, and the memory a run needs at the least
 * must fit in this machine. Checked from the flags alone, so that {@code --hidden_size 100000}
 * is refused at once with the estimate, not after loading the data and filling the memory.
 */
public final class NetworkSize {

    /** Input channels and classes of SHD, the sizes a run has at the least. */
    private static final long INPUTS = 700;
    private static final long CLASSES = 20;
    /** Time steps of a batch at the least (SHD samples last about a second at 1 ms per step). */
    private static final long STEPS = 1000;
    /** float32 copies per parameter: weight, gradient, Adamax's two moments, the checkpoint's copy. */
    private static final long COPIES_PER_PARAMETER = 5;
    /** float32 values kept per hidden unit and time step for the backward pass (current, membrane, spikes, gradient). */
    private static final long VALUES_PER_ACTIVATION = 4;

    private NetworkSize() {
    }

    /**
     * Refuses sizes whose weight matrices cannot exist (more than 2^31 - 1 elements).
     *
     * @throws SpsnException (usage) naming the flags and the matrix
     */
    public static void check(int hidden, int layers) {
        long input = INPUTS * hidden;
        long recurrent = layers > 1 ? (long) hidden * hidden : 0;
        long largest = Math.max(input, recurrent);
        if (largest > Integer.MAX_VALUE) {
            String matrix = largest == recurrent ? hidden + " x " + hidden : hidden + " x " + INPUTS;
            throw SpsnException.usage("--hidden_size " + hidden + " --nb_layers " + layers + ": a " + matrix
                    + " weight matrix would have " + largest + " elements, more than one tensor can hold ("
                    + Integer.MAX_VALUE + "); use a smaller --hidden_size");
        }
    }

    /** Parameters of the network, with SHD's inputs and classes. */
    public static long parameters(int hidden, int layers) {
        long h = hidden;
        return INPUTS * h + h + (layers - 1) * (h * h + h) + h * CLASSES + CLASSES;
    }

    /** Bytes a training run needs at the least (parameters and one batch's activations). */
    public static long leastBytes(int hidden, int layers, int batch) {
        long params = 4 * COPIES_PER_PARAMETER * parameters(hidden, layers);
        long activations = 4 * VALUES_PER_ACTIVATION * batch * STEPS * (long) hidden * layers;
        return params + activations;
    }

    /**
     * Refuses a run that cannot fit in this machine's memory, before anything is loaded.
     *
     * @throws SpsnException (data) with the estimate and the machine's memory
     */
    public static void requireMemory(int hidden, int layers, int batch) {
        long needed = leastBytes(hidden, layers, batch);
        long total = physicalMemory();
        if (total > 0 && needed > total) {
            throw SpsnException.data(String.format(Locale.ROOT, "--hidden_size %d --nb_layers %d --batch_size %d:"
                    + " this run needs at least %s of memory (%,d parameters and one batch's activations) but this"
                    + " machine has %s; use a smaller --hidden_size, --nb_layers or --batch_size", hidden, layers,
                    batch, gib(needed), parameters(hidden, layers), gib(total)));
        }
    }

    private static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
