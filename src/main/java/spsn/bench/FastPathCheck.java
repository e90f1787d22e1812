package spsn.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import spsn.data.SparseBatch;
import spsn.io.HostFloats;
import spsn.model.InputPath;
import spsn.model.IntegrationPath;
import spsn.neuron.NoiseSource;
import spsn.train.HeapTrim;
import spsn.train.TrainStep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/** The bench's check that every fast path computes what the plain one does (its last column). */
final class FastPathCheck {

    private FastPathCheck() {
    }

    /** A fast path the bench checks: how the first layer and the integration are computed. */
    record Path(String name, InputPath input, IntegrationPath integration) {
    }

    /** The plain path: dense input, every step in the engine's autograd. */
    static final Path PLAIN = new Path("dense", InputPath.DENSE, IntegrationPath.ENGINE);

    /** How many times the plain path's own rounding sensitivity a fast path may differ by. */
    static final double ROUNDING_FACTOR = 10;

    /** The key of the bench's noise, the same for every path. */
    static final long NOISE_KEY = 7;
    /** The key of the membranes' moves in the yardstick's run. */
    private static final long JITTER_KEY = 11;

    /**
     * Each fast path (the first layer in Java on spike lists, with the Java integration or the
     * engine's; the engine's sparse product) must give the plain path's output and gradients (dense
     * input, all in the engine's autograd) on the same batch and noise. Returns "yes" with the
     * largest relative error seen, or what differs. The update is not made.
     *
     * <p>Another order of float32 sums moves the hard spike decisions that lie within rounding of
     * their boundary, and some arrays amplify that. A recurrent network carries each flipped spike
     * through its feedback and on to the next layers: at the bench's size, recurrent ParaLIF-D's
     * one flip in the first layer becomes hundreds in the third, and the output of every float32
     * implementation, the plain path's included, lies ~1e-2 from the float64 result. A delta
     * neuron's bias gets a gradient that is rounding noise itself (a constant offset only moves the
     * first steps' rise, so the sum over time cancels to ~1e-7 of its terms). So where a fast path
     * misses the fixed tolerance, the plain path is run once more as another rounding would have
     * run it ({@link #roundedOtherwise}); the fast path still matches if it stays within
     * {@link #ROUNDING_FACTOR} times that run's change (see {@link Comparison}).
     */
    static String run(TrainStep step, SparseBatch sparse, Device device) {
        List<Path> paths = new ArrayList<>();
        if (HostFloats.onHost(device)) { // Java reads and writes the tensors' memory: CPU only
            paths.add(new Path("java", InputPath.JAVA, IntegrationPath.JAVA));
            paths.add(new Path("java-input", InputPath.JAVA, IntegrationPath.ENGINE));
        }
        paths.add(new Path("engine-sparse", InputPath.ENGINE_SPARSE, IntegrationPath.ENGINE));
        float[][] reference = outputAndGradients(step, sparse, PLAIN, step.noise(NOISE_KEY));
        Map<String, float[][]> results = new LinkedHashMap<>();
        for (Path path : paths) {
            results.put(path.name(), outputAndGradients(step, sparse, path, step.noise(NOISE_KEY)));
        }
        return compare(step, sparse, reference, results, device).describe();
    }

    /**
     * The fast paths' {@code results} against the plain path's {@code reference}: the fixed
     * tolerances first, then, if one misses them, with the yardstick of the plain path rounded
     * otherwise.
     */
    static Comparison compare(TrainStep step, SparseBatch sparse, float[][] reference, Map<String, float[][]> results,
                              Device device) {
        Comparison comparison = Comparison.of(reference, results, null);
        if (comparison.differing().isEmpty()) {
            return comparison;
        }
        return Comparison.of(reference, results, roundedOtherwise(step, sparse, device));
    }

    /**
     * The plain path as another correct order of float32 sums could have run it: every parameter
     * moved by one unit in the last place and every parallel hidden layer's integrated membrane by
     * a few ({@link RoundingJitter}), each up or down at random (seeded). The parameters' one-ulp
     * moves alone are not enough: they may move none of the decisions that the integration's
     * rounding moves, since that rounding grows over the steps (at the bench's size, recurrent
     * ParaLIF-D's parameters nudged so moved its output by 1e-7, the fast path's one flipped spike
     * in the first layer by 1e-2). The parameters are restored bit for bit.
     */
    static float[][] roundedOtherwise(TrainStep step, SparseBatch sparse, Device device) {
        NoiseSource rounding = new RoundingJitter(step.noise(NOISE_KEY), JITTER_KEY, device);
        return nudgedParameters(step, () -> outputAndGradients(step, sparse, PLAIN, rounding));
    }

    /** The output and every parameter's gradient on {@code path}, with {@code noise}. */
    static float[][] outputAndGradients(TrainStep step, SparseBatch sparse, Path path, NoiseSource noise) {
        float[][] arrays = step.gradients(sparse, noise, path.input(), path.integration(), c -> {
            List<float[]> values = new ArrayList<>();
            values.add(c.result().output().toFloatArray());
            for (NDArray p : step.network().parameters().values()) {
                values.add(p.getGradient().toFloatArray());
            }
            return values.toArray(float[][]::new);
        });
        // each path allocates in its own pattern: its high-water mark need not add to the next one's
        HeapTrim.betweenPhases();
        return arrays;
    }

    /** {@code run} with every parameter one ulp off (seeded signs); the parameters are restored bit for bit. */
    private static float[][] nudgedParameters(TrainStep step, Supplier<float[][]> run) {
        List<NDArray> parameters = new ArrayList<>(step.network().parameters().values());
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
        try {
            return run.get();
        } finally {
            for (int p = 0; p < parameters.size(); p++) {
                HostFloats.write(parameters.get(p), saved.get(p));
            }
        }
    }

    /**
     * The fast paths' arrays against the plain path's: index 0 the output, then the gradients.
     * An array matches within 5e-4 relative (5e-3 for a single value, seen 7e-4 for a threshold's
     * gradient, which sums over every element), or, given the plain path's run rounded otherwise,
     * within {@link #ROUNDING_FACTOR} times the rounding yardstick: that run's own relative change
     * of the array, or of the output if that is larger. Every gradient is computed from the
     * network's spike trains, so none can be expected to match more closely than the output they
     * give: where rounding moves the output by 1e-2 (a recurrent delta network), a gradient that
     * the one other rounding happened to leave closer still has ten times 1e-2. A real error (a
     * wrong sign, a dropped term, a step out of place) moves the output or a gradient by far more.
     */
    record Comparison(List<String> differing, double worst, double worstRounding) {

        static Comparison of(float[][] reference, Map<String, float[][]> fast, float[][] roundedOtherwise) {
            List<String> differing = new ArrayList<>();
            double worst = 0;
            double worstRounding = 0;
            double outputRounding = roundedOtherwise == null ? 0 : relativeError(reference[0], roundedOtherwise[0]);
            for (Map.Entry<String, float[][]> e : fast.entrySet()) {
                for (int i = 0; i < reference.length; i++) {
                    double error = relativeError(reference[i], e.getValue()[i]);
                    worst = Math.max(worst, error);
                    if (error <= (reference[i].length == 1 ? 5e-3 : 5e-4)) {
                        continue;
                    }
                    double rounding = roundedOtherwise == null ? 0
                            : Math.max(relativeError(reference[i], roundedOtherwise[i]), outputRounding);
                    if (error <= ROUNDING_FACTOR * rounding) {
                        worstRounding = Math.max(worstRounding, rounding);
                        continue;
                    }
                    differing.add(e.getKey() + (i == 0 ? " output" : " grad " + i));
                }
            }
            return new Comparison(differing, worst, worstRounding);
        }

        String describe() {
            if (!differing.isEmpty()) {
                return "NO: " + String.join(", ", differing);
            }
            return worstRounding == 0 ? String.format(Locale.ROOT, "yes (%.0e)", worst)
                    : String.format(Locale.ROOT, "yes (%.0e; rounding %.0e)", worst, worstRounding);
        }
    }

    /** |actual - expected| / |expected| over the whole array (Euclidean norms). */
    static double relativeError(float[] expected, float[] actual) {
        double difference = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = (double) actual[i] - expected[i];
            difference += d * d;
            norm += (double) expected[i] * expected[i];
        }
        return Math.sqrt(difference) / Math.max(Math.sqrt(norm), 1e-30);
    }

}
