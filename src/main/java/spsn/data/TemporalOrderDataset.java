package spsn.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A generated task in SHD's layout (700 channels) whose classes differ only in the order of
 * events in time: every sample holds the same three "syllables" (bursts of spikes in three
 * channel bands, ~100 ms each, one after the other with silent gaps), and its class is their
 * order, one of the 3! = 6 permutations (chance 1/6).
 *
 * <p>Time comes in bins of 4 ms (the {@code --window_size 4e-3} of the comparison with ParaLIF's
 * run.py; the neurons' time step stays 1 ms, as ParaLIF's with a window): samples of 170 to 270
 * bins, ~4,000 spikes, so that a delta neuron's membrane can rise by its threshold within one
 * bin and a few epochs train in minutes. Syllables are ~25 bins long and apart by silent gaps
 * (background noise only) of 15 to 35 bins, so that a feed-forward neuron's memory (tau = 20
 * steps) only just reaches from one to the next.
 *
 * <p>A sample's content (each syllable's spike count, channel offsets and relative times, the
 * durations, gaps, onset, channel shift and background noise) is drawn before its class is
 * looked at, and the class only decides where in time each syllable goes. So per-channel spike
 * counts, and any statistic that ignores time, carry no information about the class: a network
 * has to relate what comes first to what comes after. The bands and shapes are fixed (the task);
 * the seed picks the samples.
 */
public final class TemporalOrderDataset {

    public static final int NB_CHANNELS = SyntheticDataset.NB_CHANNELS;
    /** The syllables' orders, class by class (lexicographic permutations of 0, 1, 2). */
    static final int[][] ORDERS = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    public static final int NB_CLASSES = ORDERS.length;

    /** Band centres (channels) and widths (sd, channels); each syllable's ridge sweeps by SLOPE across it. */
    private static final double[] CENTRE = {170, 350, 530};
    private static final double[] WIDTH = {18, 22, 18};
    private static final double[] SLOPE = {60, -40, 20};
    /** Bins of 4 ms (see the class comment). */
    private static final int SYLLABLE_STEPS = 25;
    private static final double MAX_STRETCH = 0.15;
    /** Silent gaps of 15 to 35 bins (60 to 140 ms: one to two of the default 20 ms time constants). */
    private static final int MIN_GAP = 15;
    private static final int MAX_GAP = 35;
    private static final int MAX_SHIFT = 30;

    private TemporalOrderDataset() {
    }

    /**
     * Train, validation ({@code validSize} 0: none) and test sets from independent streams of
     * {@code seed}. {@code nbClasses} must be {@link #NB_CLASSES} (the registry's).
     */
    public static TrainTest generate(String name, long seed, int nbClasses, int trainSize, int validSize,
                                     int testSize) {
        if (nbClasses != NB_CLASSES) {
            throw new IllegalArgumentException("the temporal-order task has " + NB_CLASSES + " classes, got " + nbClasses);
        }
        if (trainSize < 1 || testSize < 1 || validSize < 0) {
            throw new IllegalArgumentException("sizes must be >= 1, got " + trainSize + ", " + validSize + " and "
                    + testSize);
        }
        SplittableRandom root = new SplittableRandom(seed);
        SpikeDataset train = dataset(name + " train (seed " + seed + ")", trainSize, root.split());
        SpikeDataset test = dataset(name + " test (seed " + seed + ")", testSize, root.split());
        SpikeDataset valid = validSize == 0 ? null : dataset(name + " valid (seed " + seed + ")", validSize, root.split());
        return new TrainTest(train, valid, test);
    }

    private static SpikeDataset dataset(String name, int size, SplittableRandom rng) {
        List<SpikeSample> samples = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            samples.add(sample(i % NB_CLASSES, rng));
        }
        List<String> names = new ArrayList<>(NB_CLASSES);
        for (int[] order : ORDERS) {
            names.add("order-" + "ABC".charAt(order[0]) + "ABC".charAt(order[1]) + "ABC".charAt(order[2]));
        }
        return new SpikeDataset(name, List.copyOf(samples), NB_CHANNELS, List.copyOf(names));
    }

    /** One sample of class {@code label}: everything drawn first, the order applied last. */
    static SpikeSample sample(int label, SplittableRandom rng) {
        int syllables = CENTRE.length;
        // silence before and after longer than the neurons' memory: no edge tells the first or last syllable
        int onset = 30 + rng.nextInt(21);
        int shift = rng.nextInt(-MAX_SHIFT, MAX_SHIFT + 1);
        int[] duration = new int[syllables];
        int[] gap = new int[syllables];
        int[][] channel = new int[syllables][];
        double[][] when = new double[syllables][];
        int signal = 0;
        for (int k = 0; k < syllables; k++) {
            duration[k] = (int) Math.round(SYLLABLE_STEPS * (1 + rng.nextDouble(-MAX_STRETCH, MAX_STRETCH)));
            gap[k] = MIN_GAP + rng.nextInt(MAX_GAP - MIN_GAP + 1);
            int count = 800 + rng.nextInt(500);
            channel[k] = new int[count];
            when[k] = new double[count];
            for (int i = 0; i < count; i++) {
                double u = rng.nextDouble();
                int c = (int) Math.round(CENTRE[k] + SLOPE[k] * (u - 0.5) + shift + rng.nextGaussian() * WIDTH[k]);
                channel[k][i] = Math.max(0, Math.min(NB_CHANNELS - 1, c));
                when[k][i] = u;
            }
            signal += count;
        }
        int noise = 800 + rng.nextInt(500);
        int[] noiseUnits = new int[noise];
        double[] noiseTimes = new double[noise];
        for (int i = 0; i < noise; i++) {
            noiseUnits[i] = rng.nextInt(NB_CHANNELS);
            noiseTimes[i] = rng.nextDouble();
        }
        int tail = 30 + rng.nextInt(21);

        // the class decides only where each syllable sits in time
        int[] start = new int[syllables];
        int t = onset;
        for (int k : ORDERS[label]) {
            start[k] = t;
            t += duration[k] + gap[k];
        }
        int length = t + tail;
        int[] bins = new int[signal + noise];
        short[] units = new short[signal + noise];
        int n = 0;
        for (int k = 0; k < syllables; k++) {
            for (int i = 0; i < channel[k].length; i++) {
                bins[n] = start[k] + (int) (when[k][i] * duration[k]);
                units[n] = (short) channel[k][i];
                n++;
            }
        }
        for (int i = 0; i < noise; i++) {
            bins[n] = (int) (noiseTimes[i] * length);
            units[n] = (short) noiseUnits[i];
            n++;
        }
        SpikeSorter.sortByBin(bins, units);
        return SpikeSample.of(bins, units, label);
    }
}
