package spsn.parity;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ParaLIF fixtures (tools/reference/make_paralif_fixtures.py) read with DJL and checked
 * against their format description, tools/reference/PARALIF-FIXTURES.md, in plain Java doubles:
 * every layer file's membranes, hidden state, recurrent input and spikes follow from its X,
 * parameters and noise by the documented equations and noise order. Independent of the Python
 * script and of the production code: if the contract and the files disagreed, the parity tests
 * built on them would mislead.
 */
class ParalifFixtureSanityTest {

    private static final String DIR = "paralif/";
    private static final String[] MODES = {"GS", "SB", "TRB", "D", "SD", "TD", "TRD", "T", "ST", "TT", "TRT"};

    @BeforeAll
    static void offline() {
        System.setProperty("ai.djl.offline", "true");
    }

    static List<String> files() throws IOException, URISyntaxException {
        URL dir = ParalifFixtureSanityTest.class.getResource("/reference/paralif");
        assertNotNull(dir, "missing test resources reference/paralif: run tools/reference/make_paralif_fixtures.py");
        try (Stream<Path> paths = Files.list(Path.of(dir.toURI()))) {
            return paths.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npz")).sorted().toList();
        }
    }

    static Stream<String> layerFiles() throws IOException, URISyntaxException {
        return files().stream().filter(n -> n.startsWith("layer_"));
    }

    @ParameterizedTest
    @MethodSource("files")
    void decodesAndKeepsClearOfEveryDecision(String file) {
        try (NDManager manager = NDManager.newBaseManager(); Fixture fx = Fixture.load(manager, DIR + file)) {
            assertTrue(fx.suffixes("").size() >= 5, file + " has too few arrays");
            if (fx.has("min_decision_distance")) {
                assertTrue(fx.scalar("min_decision_distance") >= 1e-4, "decision margin of " + file);
            }
            if (fx.has("f32_recurrence_error")) {
                assertTrue(fx.scalar("f32_recurrence_error") <= 2e-5, "conditioning of " + file);
            }
            for (String name : fx.suffixes("nograd:")) {
                double[] step = fx.doubles("step:" + name);
                assertArrayEquals(new double[step.length], step, 0.0, "a parameter without gradient moved: " + name);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("layerFiles")
    void layerFollowsTheDocumentedEquations(String file) {
        try (NDManager manager = NDManager.newBaseManager(); Fixture fx = Fixture.load(manager, DIR + file)) {
            long[] shape = fx.raw("X").getShape().getShape();
            Dims d = new Dims((int) shape[0], (int) shape[1], (int) shape[2]);
            String mode = MODES[(int) fx.longScalar("mode_code")];
            assertEquals("layer_" + mode + "_", file.substring(0, 7 + mode.length()), "mode_code of " + file);
            boolean learnTau = fx.longScalar("learn_tau") == 1;
            double[] alpha = value(fx, "1._alpha");
            double[] beta = value(fx, "1._beta");
            double[] theta = value(fx, "1._spk_threshold");
            for (int i = 0; i < alpha.length; i++) {
                alpha[i] = learnTau ? sigmoid(alpha[i]) : alpha[i];
                beta[i] = learnTau ? sigmoid(beta[i]) : beta[i];
            }
            if (fx.longScalar("learn_threshold") == 1) {
                for (int i = 0; i < theta.length; i++) {
                    theta[i] = Math.max(0, theta[i]);
                }
            }
            Deque<double[]> noise = new ArrayDeque<>();
            for (String k : fx.suffixes("noise_")) {
                noise.add(fx.doubles("noise_" + k));
            }
            double[] x = fx.doubles("X");
            double[] memHidden = integrate(x, d, alpha, beta);
            Tolerance.assertScaled(file + " mem_hidden", fx.doubles("mem_hidden"), memHidden, Tolerance.FORWARD);
            double[] mem = memHidden;
            if (fx.longScalar("recurrent") == 1) {
                double[] shifted = shift(memHidden, d);
                double[] hidden = fx.longScalar("recurrent_fire") == 1
                        ? spike(shifted, d, mode, theta, noise) : relu(shifted);
                assertArrayEquals(fx.doubles("hidden"), hidden, 1e-6 * maxAbs(hidden), file + " hidden");
                double[] recurrentInput = linear(fx.doubles("hidden"), d, fx.doubles("param:1.fc_recu.weight"),
                        fx.doubles("param:1.fc_recu.bias"));
                Tolerance.assertScaled(file + " recurrent_input", fx.doubles("recurrent_input"), recurrentInput,
                        Tolerance.FORWARD);
                double[] second = integrate(add(x, fx.doubles("recurrent_input")), d, alpha, beta);
                mem = add(memHidden, second);
            }
            Tolerance.assertScaled(file + " mem", fx.doubles("mem"), mem, Tolerance.FORWARD);
            assertArrayEquals(fx.doubles("spikes"), spike(fx.doubles("mem"), d, mode, theta, noise), 0.0,
                    file + " spikes");
            assertTrue(noise.isEmpty(), file + ": noise arrays left unused");
        }
    }

    private record Dims(int batch, int steps, int neurons) {
        int at(int b, int t, int h) {
            return (b * steps + t) * neurons + h;
        }
    }

    /** A Parameter's or buffer's value (0-d or per neuron). */
    private static double[] value(Fixture fx, String name) {
        return fx.has("param:" + name) ? fx.doubles("param:" + name) : fx.doubles("buffer:" + name);
    }

    private static double perNeuron(double[] v, int h) {
        return v.length == 1 ? v[0] : v[h];
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /** I_t = a I_{t-1} + X_t, V_t = b V_{t-1} + (1-b) I_t from zero. */
    private static double[] integrate(double[] x, Dims d, double[] a, double[] b) {
        double[] out = new double[x.length];
        for (int s = 0; s < d.batch(); s++) {
            for (int h = 0; h < d.neurons(); h++) {
                double syn = 0;
                double mem = 0;
                for (int t = 0; t < d.steps(); t++) {
                    syn = perNeuron(a, h) * syn + x[d.at(s, t, h)];
                    mem = perNeuron(b, h) * mem + (1 - perNeuron(b, h)) * syn;
                    out[d.at(s, t, h)] = mem;
                }
            }
        }
        return out;
    }

    private static double[] shift(double[] v, Dims d) {
        double[] out = new double[v.length];
        for (int s = 0; s < d.batch(); s++) {
            for (int t = 1; t < d.steps(); t++) {
                for (int h = 0; h < d.neurons(); h++) {
                    out[d.at(s, t, h)] = v[d.at(s, t - 1, h)];
                }
            }
        }
        return out;
    }

    private static double normalise(String mode, double v) {
        return switch (mode) {
            case "SB", "SD", "ST" -> sigmoid(v);
            case "TD", "TT" -> Math.tanh(v);
            case "TRB", "TRD", "TRT" -> Math.max(0, Math.tanh(v));
            default -> v;
        };
    }

    /** normalise, then generate (PARALIF-FIXTURES.md, "Noise"): spikes as 0/1. */
    private static double[] spike(double[] v, Dims d, String mode, double[] theta, Deque<double[]> noise) {
        double[] u0 = mode.equals("GS") || mode.endsWith("B") ? noise.poll() : null;
        double[] u1 = mode.equals("GS") ? noise.poll() : null;
        double[] out = new double[v.length];
        for (int s = 0; s < d.batch(); s++) {
            for (int h = 0; h < d.neurons(); h++) {
                double previous = 0;
                for (int t = 0; t < d.steps(); t++) {
                    int i = d.at(s, t, h);
                    double n = normalise(mode, v[i]);
                    boolean fires;
                    if (mode.equals("GS")) {
                        double g0 = -Math.log(-Math.log(u0[i]));
                        double g1 = -Math.log(-Math.log(u1[i]));
                        fires = sigmoid((n + g0) - (-n + g1)) > 0.5;
                    } else if (mode.endsWith("B")) {
                        fires = u0[i] < n;
                    } else if (mode.endsWith("D")) {
                        fires = n - previous - perNeuron(theta, h) > 0;
                    } else {
                        fires = n - perNeuron(theta, h) > 0;
                    }
                    out[i] = fires ? 1 : 0;
                    previous = n;
                }
            }
        }
        return out;
    }

    private static double[] relu(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.max(0, v[i]);
        }
        return out;
    }

    private static double[] add(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    /** in [B,T,H] times W [H,H] transposed plus bias. */
    private static double[] linear(double[] in, Dims d, double[] w, double[] bias) {
        int n = d.neurons();
        double[] out = new double[in.length];
        for (int row = 0; row < in.length / n; row++) {
            for (int o = 0; o < n; o++) {
                double sum = bias[o];
                for (int k = 0; k < n; k++) {
                    sum += in[row * n + k] * w[o * n + k];
                }
                out[row * n + o] = sum;
            }
        }
        return out;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return Math.max(m, 1);
    }
}
