package spsn.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * An SHD-like dataset generated on the fly, for demos and tests without the real files:
 * 700 channels, 20 classes (or more: an SSC-shaped variant has 35 and a validation split), samples
 * of about 1 s (720..1160 steps of 1 ms).
 *
 * <p>Each class is a fixed set of 3 "frequency tracks" out of a shared pool of 10: ridges of
 * channels that rise, fall or bend over time, like formants in SHD's cochleagrams. A sample draws its spikes around its
 * class's tracks with a random time stretch (±15 %), onset and channel shift (±30), per-track
 * offsets and per-spike jitter, plus uniform background noise. The spike counts are drawn
 * independently of the class, so only the spikes' positions tell the classes apart. The class
 * tracks are the same for every seed (the task is fixed); the seed picks the samples.
 */
public final class SyntheticDataset {

    public static final int DEFAULT_TRAIN = 512;
    public static final int DEFAULT_TEST = 128;
    /** Channels of the SHD layout, which the synthetic set imitates. */
    public static final int NB_CHANNELS = 700;
    public static final int NB_CLASSES = 20;
    /** The most classes it can make: each class is a distinct set of 3 of the 10 pooled tracks. */
    public static final int MAX_CLASSES = 120;

    private static final long TASK_SEED = 0x5350534EL;
    private static final int ACTIVE_STEPS = 800;
    private static final double MAX_STRETCH = 0.15;
    private static final int MAX_SHIFT = 30;
    /** Tracks shared by the classes (see classTracks). */
    private static final int POOL = 10;
    /** Per-sample variation: track weights ×(1 ± 0.5), per-track channel offset (sd, channels)
     *  and time offset (sd, fraction of the sample). Tuned so that a nearest-centroid classifier
     *  on coarse histograms reaches only ~60 % while a linear one reaches ~80 % (see the test). */
    private static final double WEIGHT_VARIATION = 0.5;
    private static final double TRACK_CHANNEL_SD = 14;
    private static final double TRACK_TIME_SD = 0.04;

    private SyntheticDataset() {
    }

    /** Train and test sets of the 20 SHD-like classes from independent streams of {@code seed}. */
    public static TrainTest generate(long seed, int trainSize, int testSize) {
        return generate("synthetic", seed, NB_CLASSES, trainSize, 0, testSize);
    }

    /**
     * Train, validation ({@code validSize} 0: none) and test sets of {@code nbClasses} classes from
     * independent streams of {@code seed}. The first 20 classes are those of the 20-class set, and
     * the validation stream comes after the others, so train and test do not depend on it.
     */
    public static TrainTest generate(String name, long seed, int nbClasses, int trainSize, int validSize,
                                     int testSize) {
        if (trainSize < 1 || testSize < 1 || validSize < 0) {
            throw new IllegalArgumentException("sizes must be >= 1, got " + trainSize + ", " + validSize + " and "
                    + testSize);
        }
        if (nbClasses < 2 || nbClasses > MAX_CLASSES) {
            throw new IllegalArgumentException("classes must be in 2.." + MAX_CLASSES + ", got " + nbClasses);
        }
        List<Track[]> classes = classTracks(nbClasses);
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom trainRng = root.split();
        SplittableRandom testRng = root.split();
        SpikeDataset train = dataset(name + " train (seed " + seed + ")", classes, trainSize, trainRng);
        SpikeDataset test = dataset(name + " test (seed " + seed + ")", classes, testSize, testRng);
        SpikeDataset valid = validSize == 0 ? null
                : dataset(name + " valid (seed " + seed + ")", classes, validSize, root.split());
        return new TrainTest(train, valid, test);
    }

    /**
     * A ridge of channels over part of the sample: centre(u) for u in [0, 1] across the track's
     * time span [start, start + span] (fractions of the active part of the sample).
     */
    private record Track(double start, double span, double base, double slope, double bend, double width,
            double weight) {

        double centre(double u) {
            double v = u - 0.5;
            return base + slope * v + bend * (v * v - 1.0 / 12);
        }
    }

    /**
     * Classes share tracks: each picks 3 of a pool of 10, no two the same set, so many pairs of
     * classes differ in one track only (a crude classifier confuses them, a network can learn it).
     */
    private static List<Track[]> classTracks(int nbClasses) {
        SplittableRandom rng = new SplittableRandom(TASK_SEED);
        Track[] pool = new Track[POOL];
        for (int k = 0; k < POOL; k++) {
            double start = rng.nextDouble(0, 0.45);
            double span = rng.nextDouble(0.35, 1 - start);
            pool[k] = new Track(start, span, rng.nextDouble(120, 580), rng.nextDouble(-220, 220),
                    rng.nextDouble(-250, 250), rng.nextDouble(6, 16), rng.nextDouble(0.5, 1.5));
        }
        List<Track[]> classes = new ArrayList<>(nbClasses);
        Set<Integer> used = new HashSet<>();
        while (classes.size() < nbClasses) {
            int a = rng.nextInt(POOL);
            int b = rng.nextInt(POOL);
            int c = rng.nextInt(POOL);
            if (a == b || b == c || a == c || !used.add((1 << a) | (1 << b) | (1 << c))) {
                continue;
            }
            classes.add(new Track[] {pool[a], pool[b], pool[c]});
        }
        return classes;
    }

    private static SpikeDataset dataset(String name, List<Track[]> classes, int size, SplittableRandom rng) {
        List<SpikeSample> samples = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int label = i % classes.size();
            samples.add(sample(classes.get(label), label, rng));
        }
        List<String> names = new ArrayList<>(classes.size());
        for (int c = 0; c < classes.size(); c++) {
            names.add("class-" + c);
        }
        return new SpikeDataset(name, List.copyOf(samples), NB_CHANNELS, List.copyOf(names));
    }

    private static SpikeSample sample(Track[] tracks, int label, SplittableRandom rng) {
        double stretch = 1 + rng.nextDouble(-MAX_STRETCH, MAX_STRETCH);
        double active = ACTIVE_STEPS * stretch;
        int onset = 20 + rng.nextInt(100);
        int length = onset + (int) Math.ceil(active) + 20 + rng.nextInt(100);
        int shift = rng.nextInt(-MAX_SHIFT, MAX_SHIFT + 1);
        // ~9000 spikes per sample on average, like SHD (~1.2% of the 700 x T grid): sparser data
        // leaves deeper LIF layers silent at the default time constants.
        int signal = 4000 + rng.nextInt(4000);
        int noise = 2000 + rng.nextInt(2000);

        double totalWeight = 0;
        double[] weight = new double[tracks.length];
        double[] channelOffset = new double[tracks.length];
        double[] timeOffset = new double[tracks.length];
        for (int k = 0; k < tracks.length; k++) {
            weight[k] = tracks[k].weight() * (1 + rng.nextDouble(-WEIGHT_VARIATION, WEIGHT_VARIATION));
            totalWeight += weight[k];
            channelOffset[k] = rng.nextGaussian() * TRACK_CHANNEL_SD;
            timeOffset[k] = rng.nextGaussian() * TRACK_TIME_SD;
        }
        int[] bins = new int[signal + noise];
        short[] units = new short[signal + noise];
        int n = 0;
        while (n < signal) {
            int k = pick(weight, totalWeight, rng.nextDouble());
            Track t = tracks[k];
            double u = rng.nextDouble();
            double time = onset + (t.start() + timeOffset[k] + u * t.span()) * active + rng.nextGaussian() * 3;
            double channel = t.centre(u) + shift + channelOffset[k] + rng.nextGaussian() * t.width();
            int bin = (int) Math.round(time);
            int unit = (int) Math.round(channel);
            if (bin >= 0 && bin < length && unit >= 0 && unit < NB_CHANNELS) {
                bins[n] = bin;
                units[n] = (short) unit;
                n++;
            }
        }
        for (; n < bins.length; n++) {
            bins[n] = rng.nextInt(length);
            units[n] = (short) rng.nextInt(NB_CHANNELS);
        }
        SpikeSorter.sortByBin(bins, units);
        return SpikeSample.of(bins, units, label);
    }

    private static int pick(double[] weight, double totalWeight, double r) {
        double x = r * totalWeight;
        for (int k = 0; k < weight.length - 1; k++) {
            x -= weight[k];
            if (x < 0) {
                return k;
            }
        }
        return weight.length - 1;
    }
}
