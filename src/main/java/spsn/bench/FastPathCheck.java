package spsn.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import spsn.data.SparseBatch;
import spsn.io.HostFloats;
import spsn.model.InputPath;
import spsn.model.IntegrationPath;
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
    private record Path(String name, InputPath input, IntegrationPath integration) {
    }

    /**
     * Each fast path (the first layer in Java on spike lists, with the Java integration or the
     * engine's; the engine's sparse product) must give the plain path's output and gradients (dense
     * input, all in the engine's autograd) on the same batch and noise. Returns "yes" with the
     * largest relative error seen, or what differs. The update is not made.
     *
     * <p>Another order of float32 sums moves the hard spike decisions that lie within rounding of
     * their boundary, and some gradients amplify that: a recurrent threshold network carries each
     * flipped spike through its feedback, and a delta neuron's bias gets a gradient that is rounding
     * noise itself (a constant offset only moves the first steps' rise, so the sum over time
     * cancels to ~1e-7 of its terms). So where a fast path misses the fixed tolerance, the plain
     * path is run once more with every parameter moved by one unit in the last place (random
     * sign, seeded): its own change is the rounding sensitivity of each array, and the fast path
     * still matches if it stays within {@link #ROUNDING_FACTOR} times that.
     */
    static String run(TrainStep step, SparseBatch sparse, Device device) {
        List<Path> paths = new ArrayList<>();
        paths.add(new Path("dense", InputPath.DENSE, IntegrationPath.ENGINE));
        if (HostFloats.onHost(device)) { // Java reads and writes the tensors' memory: CPU only
            paths.add(new Path("java", InputPath.JAVA, IntegrationPath.JAVA));
            paths.add(new Path("java-input", InputPath.JAVA, IntegrationPath.ENGINE));
        }
        paths.add(new Path("engine-sparse", InputPath.ENGINE_SPARSE, IntegrationPath.ENGINE));
        Map<String, float[][]> results = new LinkedHashMap<>();
        for (Path path : paths) {
            results.put(path.name(), outputAndGradients(step, sparse, path));
        }
        float[][] reference = results.remove("dense");
        Comparison comparison = Comparison.of(reference, results, null);
        if (!comparison.differing().isEmpty()) {
            float[][] nudged = nudgedParameters(step, () -> outputAndGradients(step, sparse, paths.get(0)));
            comparison = Comparison.of(reference, results, nudged);
        }
        return comparison.describe();
    }

    /** How many times the plain path's own rounding sensitivity a fast path may differ by. */
    static final double ROUNDING_FACTOR = 10;

    /** The output and every parameter's gradient on {@code path}, with the bench's noise. */
    private static float[][] outputAndGradients(TrainStep step, SparseBatch sparse, Path path) {
        float[][] arrays = step.gradients(sparse, step.noise(7), path.input(), path.integration(), c -> {
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
     * gradient, which sums over every element), or, given the plain path's run with nudged
     * parameters, within {@link #ROUNDING_FACTOR} times that run's own relative change.
     */
    record Comparison(List<String> differing, double worst, double worstRounding) {

        static Comparison of(float[][] reference, Map<String, float[][]> fast, float[][] nudged) {
            List<String> differing = new ArrayList<>();
            double worst = 0;
            double worstRounding = 0;
            for (Map.Entry<String, float[][]> e : fast.entrySet()) {
                for (int i = 0; i < reference.length; i++) {
                    double error = relativeError(reference[i], e.getValue()[i]);
                    worst = Math.max(worst, error);
                    if (error <= (reference[i].length == 1 ? 5e-3 : 5e-4)) {
                        continue;
                    }
                    double rounding = nudged == null ? 0 : relativeError(reference[i], nudged[i]);
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
