package spsn.neuron.spike;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import spsn.EngineTest;
import spsn.model.NeuronType;
import spsn.neuron.CounterNoise;
import spsn.neuron.LeakyIntegrator;
import spsn.neuron.NoiseSource;
import spsn.neuron.ParallelDynamics;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ParaLIF-NT's escape-noise threshold spikes (this port's mode, not ParaLIF's): they fire with
 * probability sigmoid(n - theta), and a whole layer's gradients (weights, bias, threshold, both
 * learnable decays) are those of the same layer with H replaced by the surrogate's antiderivative,
 * computed here independently in plain doubles and differentiated by finite differences.
 */
class EscapeNoiseSpikesTest extends EngineTest {

    private static final int B = 2;
    private static final int T = 40;
    private static final int IN = 6;
    private static final int H = 4;

    @Test
    void firesWithProbabilitySigmoidOfTheDistanceToTheThreshold() {
        int draws = 200_000;
        EscapeNoiseSpikes spikes = new EscapeNoiseSpikes(Surrogate.DEFAULT);
        for (float[] nTheta : new float[][] {{0.3f, 0.5f}, {1.2f, 0.1f}, {-0.4f, 0.6f}}) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray n = scope.full(new Shape(draws, 1, 1), nTheta[0]);
                NDArray s = spikes.spikes(n, scope.create(nTheta[1]), new CounterNoise(7));
                double rate = s.mean().getFloat();
                double expected = 1 / (1 + Math.exp(-(nTheta[0] - nTheta[1])));
                // binomial sd at 200k draws <= 0.0012
                assertEquals(expected, rate, 0.005, "n " + nTheta[0] + ", theta " + nTheta[1]);
            }
        }
    }

    /** Recorded uniforms, served in order (what the layer draws), kept for the Java reference. */
    private static final class RecordedNoise implements NoiseSource {
        final List<float[]> drawn = new ArrayList<>();
        private final Random random = new Random(17);

        @Override
        public NDArray uniform(NDManager manager, Shape shape) {
            float[] u = new float[(int) shape.size()];
            for (int i = 0; i < u.length; i++) {
                u[i] = (float) (1e-6 + random.nextDouble() * (1 - 2e-6));
            }
            drawn.add(u);
            return manager.create(u, shape);
        }
    }

    /** The layer's parameters, in double: W [H, IN], b [H], theta [1], alpha and beta before their sigmoids. */
    private record Params(double[] w, double[] b, double theta, double alphaRaw, double betaRaw) {
        double[] flat() {
            double[] out = new double[w.length + b.length + 3];
            System.arraycopy(w, 0, out, 0, w.length);
            System.arraycopy(b, 0, out, w.length, b.length);
            out[w.length + b.length] = theta;
            out[w.length + b.length + 1] = alphaRaw;
            out[w.length + b.length + 2] = betaRaw;
            return out;
        }

        static Params of(double[] flat) {
            double[] w = java.util.Arrays.copyOfRange(flat, 0, H * IN);
            double[] b = java.util.Arrays.copyOfRange(flat, H * IN, H * IN + H);
            return new Params(w, b, flat[H * IN + H], flat[H * IN + H + 1], flat[H * IN + H + 2]);
        }
    }

    /** z[t][b][h] = V - relu(theta) + logistic noise, V from the plain two-leak recurrence (time first). */
    private static double[][][] distances(Params p, float[] x, float[] u0, float[] u1) {
        double alpha = 1 / (1 + Math.exp(-p.alphaRaw()));
        double beta = 1 / (1 + Math.exp(-p.betaRaw()));
        double theta = Math.max(0, p.theta());
        double[][][] z = new double[T][B][H];
        for (int b = 0; b < B; b++) {
            for (int h = 0; h < H; h++) {
                double syn = 0;
                double mem = 0;
                for (int t = 0; t < T; t++) {
                    double current = p.b()[h];
                    for (int i = 0; i < IN; i++) {
                        current += p.w()[h * IN + i] * x[(b * T + t) * IN + i];
                    }
                    syn = alpha * syn + current;
                    mem = beta * mem + (1 - beta) * syn;
                    int k = (t * B + b) * H + h;
                    double logistic = gumbel(u0[k]) - gumbel(u1[k]);
                    z[t][b][h] = mem - theta + logistic;
                }
            }
        }
        return z;
    }

    private static double gumbel(double u) {
        return -Math.log(-Math.log(u));
    }

    /** The surrogate's antiderivative F (F' is the surrogate gradient of H). */
    private static double antiderivative(Surrogate s, double z) {
        return s.kind() == Surrogate.Kind.FASTSIG ? z / (1 + s.scale() * Math.abs(z))
                : Math.atan(Math.PI / 2 * s.scale() * z) / Math.PI;
    }

    private static double softLoss(Params p, float[] x, float[] u0, float[] u1, float[] r, Surrogate s) {
        double[][][] z = distances(p, x, u0, u1);
        double loss = 0;
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < B; b++) {
                for (int h = 0; h < H; h++) {
                    loss += r[(t * B + b) * H + h] * antiderivative(s, z[t][b][h]);
                }
            }
        }
        return loss;
    }

    @ParameterizedTest
    @CsvSource({"FASTSIG, 10", "ATAN, 2"})
    void layerGradientsMatchFiniteDifferences(Surrogate.Kind kind, float scale) {
        Surrogate surrogate = new Surrogate(kind, scale);
        Random random = new Random(5);
        float[] x = new float[B * T * IN];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble() < 0.3 ? 1 : 0;
        }
        float[] r = new float[T * B * H];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) random.nextGaussian();
        }
        float[] w = new float[H * IN];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * 0.8);
        }
        float[] bias = {0.05f, -0.1f, 0.2f, 0f};
        float theta = 0.3f;
        float alphaRaw = 0.9f;
        float betaRaw = 1.6f;
        try (NDManager scope = manager.newSubManager()) {
            NDArray wArr = scope.create(w, new Shape(H, IN));
            NDArray bArr = scope.create(bias);
            NDArray thetaArr = scope.create(theta);
            NDArray aArr = scope.create(alphaRaw);
            NDArray bRawArr = scope.create(betaRaw);
            for (NDArray p : new NDArray[] {wArr, bArr, thetaArr, aArr, bRawArr}) {
                p.setRequiresGradient(true);
            }
            RecordedNoise noise = new RecordedNoise();
            NDArray spikes;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray input = scope.create(x, new Shape(B, T, IN)).transpose(1, 0, 2);
                NDArray current = input.matMul(wArr.transpose()).add(bArr);
                ParallelDynamics.Layer layer = new ParallelDynamics.Layer(
                        v -> LeakyIntegrator.integrateTimeMajor(v, aArr.getNDArrayInternal().sigmoid(),
                                bRawArr.getNDArrayInternal().sigmoid()),
                        NeuronType.PARALIF_NT.spikeFunction(surrogate), thetaArr.getNDArrayInternal().relu(), null, false);
                spikes = ParallelDynamics.fire(current, layer, noise).spikes();
                gc.backward(spikes.mul(scope.create(r, new Shape(T, B, H))).sum());
            }
            assertEquals(2, noise.drawn.size(), "one logistic draw: two uniform arrays");
            float[] u0 = noise.drawn.get(0);
            float[] u1 = noise.drawn.get(1);
            double[] p0 = new double[H * IN + H + 3];
            for (int i = 0; i < w.length; i++) {
                p0[i] = w[i];
            }
            for (int i = 0; i < H; i++) {
                p0[H * IN + i] = bias[i];
            }
            p0[H * IN + H] = theta;
            p0[H * IN + H + 1] = alphaRaw;
            p0[H * IN + H + 2] = betaRaw;
            Params params = Params.of(p0);

            // forward: spikes are H(z) of the reference, where z is clear of 0
            double[][][] z = distances(params, x, u0, u1);
            float[] fired = spikes.toFloatArray();
            int checked = 0;
            int firing = 0;
            for (int t = 0; t < T; t++) {
                for (int b = 0; b < B; b++) {
                    for (int h = 0; h < H; h++) {
                        double d = z[t][b][h];
                        if (Math.abs(d) > 1e-4) {
                            assertEquals(d > 0 ? 1f : 0f, fired[(t * B + b) * H + h], "spike t" + t + " b" + b + " h" + h);
                            checked++;
                            firing += d > 0 ? 1 : 0;
                        }
                    }
                }
            }
            assertTrue(checked > 0.99 * T * B * H && firing > 0.1 * checked && firing < 0.9 * checked,
                    "decisions checked " + checked + ", firing " + firing);

            // gradients: central finite differences of the smooth loss, in double
            double[] autograd = new double[p0.length];
            float[] gw = wArr.getGradient().toFloatArray();
            float[] gb = bArr.getGradient().toFloatArray();
            for (int i = 0; i < gw.length; i++) {
                autograd[i] = gw[i];
            }
            for (int i = 0; i < H; i++) {
                autograd[H * IN + i] = gb[i];
            }
            autograd[H * IN + H] = thetaArr.getGradient().getFloat();
            autograd[H * IN + H + 1] = aArr.getGradient().getFloat();
            autograd[H * IN + H + 2] = bRawArr.getGradient().getFloat();
            double eps = 1e-6;
            double scaleOfGrad = 0;
            double[] numeric = new double[p0.length];
            for (int i = 0; i < p0.length; i++) {
                double[] plus = p0.clone();
                double[] minus = p0.clone();
                plus[i] += eps;
                minus[i] -= eps;
                numeric[i] = (softLoss(Params.of(plus), x, u0, u1, r, surrogate)
                        - softLoss(Params.of(minus), x, u0, u1, r, surrogate)) / (2 * eps);
                scaleOfGrad = Math.max(scaleOfGrad, Math.abs(numeric[i]));
            }
            for (int i = 0; i < p0.length; i++) {
                String what = i < H * IN ? "W" + i : i < H * IN + H ? "b" + (i - H * IN)
                        : new String[] {"theta", "alpha", "beta"}[i - H * IN - H];
                assertEquals(numeric[i], autograd[i], 2e-4 * scaleOfGrad + 1e-4 * Math.abs(numeric[i]), what);
            }
            assertTrue(Math.abs(numeric[H * IN + H]) > 1e-3 * scaleOfGrad, "the threshold's gradient is not trivially 0");
        }
    }
}
