package spsn.neuron;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import spsn.EngineTest;
import spsn.model.NeuronType;
import spsn.neuron.spike.Normaliser;
import spsn.neuron.spike.SpikeFunction;
import spsn.neuron.spike.Surrogate;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recurrent ParaLIF layer computed in parallel (two chunked integrations, the recurrent input
 * from the shifted feed-forward membrane) equals a step-by-step recurrence in double precision
 * written here from the equations, over several chunks: every spike and every recurrent state
 * whose decision is not within 1e-4 of its threshold.
 */
class RecurrentParallelDynamicsTest extends EngineTest {

    private static final int T = 100;
    private static final int B = 3;
    private static final int H = 6;

    @ParameterizedTest
    @CsvSource({"ParaLIF-D, 0.05", "ParaLIF-SD, 0.02", "ParaLIF-T, 0.4", "ParaLIF-TRT, 0.3", "ParaLIF-TD, 0.05"})
    void parallelEqualsSequential(String neuron, double theta) {
        NeuronType type = NeuronType.fromCliName(neuron);
        SpikeFunction spike = type.spikeFunction(Surrogate.DEFAULT);
        Decay decay = Decay.of(0.015, 0.025, Decay.DT);
        Random random = new Random(neuron.hashCode());
        float[] x = new float[T * B * H];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() * 0.6 + 0.1);
        }
        float[] w = new float[H * H];
        float[] b = new float[H];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * 0.4);
        }
        for (int i = 0; i < H; i++) {
            b[i] = (float) (random.nextGaussian() * 0.05);
        }
        Sequential reference = Sequential.run(x, w, b, decay, type, theta);
        float[] spikes;
        float[] hidden;
        try (NDManager scope = manager.newSubManager(); LeakyIntegrator integrator = new LeakyIntegrator(decay, scope)) {
            NDArray current = scope.create(x, new Shape(T, B, H));
            NDArray weight = scope.create(w, new Shape(H, H));
            NDArray bias = scope.create(b);
            NDArray threshold = scope.create((float) theta);
            ParallelDynamics.Layer layer = new ParallelDynamics.Layer(integrator::integrateTimeMajor, spike, threshold,
                    h -> h.matMul(weight.transpose()).add(bias), false);
            ParallelDynamics.Output out = ParallelDynamics.fire(current, layer, new CounterNoise(1));
            spikes = out.spikes().toFloatArray();
            hidden = out.recurrentSpikes().toFloatArray();
        }
        int compared = 0;
        int fired = 0;
        for (int i = 0; i < spikes.length; i++) {
            if (Math.abs(reference.hiddenMargin[i]) > 1e-4) {
                assertEquals(reference.hidden[i], hidden[i], 0.0, neuron + " recurrent state " + i);
            }
            if (Math.abs(reference.margin[i]) > 1e-4) {
                assertEquals(reference.spikes[i], spikes[i], 0.0, neuron + " spike " + i);
                compared++;
                fired += (int) spikes[i];
            }
        }
        assertTrue(compared > 0.95 * spikes.length, "decisions compared: " + compared);
        assertTrue(fired > 0 && fired < compared, neuron + ": " + fired + " spikes of " + compared + " (not degenerate)");
    }

    /** The equations step by step in double precision, [T, B, H] time first. */
    private record Sequential(float[] spikes, double[] margin, float[] hidden, double[] hiddenMargin) {

        static Sequential run(float[] x, float[] w, float[] b, Decay decay, NeuronType type, double theta) {
            double alpha = decay.alpha();
            double beta = decay.beta();
            boolean delta = type.defaultThreshold() == 0.1;
            Normaliser n = normaliser(type);
            int size = B * H;
            double[] synH = new double[size];
            double[] memH = new double[size];
            double[] synR = new double[size];
            double[] memR = new double[size];
            double[] shiftedPrev = new double[size];     // the shifted membrane one step earlier, normalised
            double[] outPrev = new double[size];         // the final membrane one step earlier, normalised
            float[] spikes = new float[T * size];
            double[] margin = new double[T * size];
            float[] hidden = new float[T * size];
            double[] hiddenMargin = new double[T * size];
            for (int t = 0; t < T; t++) {
                double[] state = new double[size];
                for (int i = 0; i < size; i++) {
                    // the shifted feed-forward membrane at step t is V_h at t-1 (0 at t = 0)
                    double shifted = normalise(n, memH[i]);
                    double decision = (delta ? shifted - shiftedPrev[i] : shifted) - theta;
                    shiftedPrev[i] = shifted;
                    state[i] = decision > 0 ? 1 : 0;
                    hidden[t * size + i] = (float) state[i];
                    hiddenMargin[t * size + i] = decision;
                }
                for (int bb = 0; bb < B; bb++) {
                    for (int h = 0; h < H; h++) {
                        int i = bb * H + h;
                        double in = x[t * size + i];
                        synH[i] = alpha * synH[i] + in;
                        memH[i] = beta * memH[i] + (1 - beta) * synH[i];
                        double fed = b[h];
                        for (int k = 0; k < H; k++) {
                            fed += w[h * H + k] * state[bb * H + k];
                        }
                        synR[i] = alpha * synR[i] + in + fed;
                        memR[i] = beta * memR[i] + (1 - beta) * synR[i];
                        double v = normalise(n, memH[i] + memR[i]);
                        double decision = (delta ? v - outPrev[i] : v) - theta;
                        outPrev[i] = v;
                        spikes[t * size + i] = decision > 0 ? 1 : 0;
                        margin[t * size + i] = decision;
                    }
                }
            }
            return new Sequential(spikes, margin, hidden, hiddenMargin);
        }

        private static Normaliser normaliser(NeuronType type) {
            String mode = type.cliName().substring("ParaLIF-".length());
            return mode.startsWith("TR") ? Normaliser.RELU_TANH : mode.startsWith("S") ? Normaliser.SIGMOID
                    : mode.length() == 2 && mode.startsWith("T") ? Normaliser.TANH : Normaliser.IDENTITY;
        }

        private static double normalise(Normaliser n, double v) {
            return switch (n) {
                case IDENTITY -> v;
                case SIGMOID -> 1 / (1 + Math.exp(-v));
                case TANH -> Math.tanh(v);
                case RELU_TANH -> Math.max(0, Math.tanh(v));
            };
        }
    }
}
