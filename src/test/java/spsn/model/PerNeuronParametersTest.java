package spsn.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import spsn.EngineTest;
import spsn.neuron.CounterNoise;
import spsn.neuron.spike.Surrogate;
import spsn.train.LossMode;
import spsn.train.Losses;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --per_neuron in a whole network: [H] thresholds and decays in every layer (state_dict shapes as
 * ParaLIF's list form), and, started at the layer's values, the same network as the shared one:
 * the same outputs, the same weight gradients, and per-neuron gradients that sum to the shared
 * parameter's. The per-neuron arithmetic itself (distinct values per neuron) is checked against
 * the reference in ParaLifLayerParityTest (the ff-pn fixtures).
 */
class PerNeuronParametersTest extends EngineTest {

    private static final int BATCH = 3;
    private static final int STEPS = 70;
    private static final int CHANNELS = 20;
    private static final int HIDDEN = 12;
    private static final int CLASSES = 4;

    private static Network network(NeuronType neuron, boolean learnTau, boolean recurrent, boolean perNeuron) {
        double theta = neuron.defaultThreshold() == 0.1 ? 0.02 : 0.3;
        NeuronOptions options = new NeuronOptions(recurrent, false, learnTau, theta, Surrogate.DEFAULT, perNeuron);
        return Network.create(manager, new NetworkConfig(neuron, CHANNELS, HIDDEN, 2, CLASSES, 0.02, 0.01, options), 5);
    }

    private static float[] input() {
        Random random = new Random(3);
        float[] x = new float[BATCH * STEPS * CHANNELS];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble() < 0.08 ? 1 : 0;
        }
        return x;
    }

    /** "logits", then every parameter's gradient by name. */
    private static Map<String, float[]> pass(Network network, float[] x) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager scope = manager.newSubManager()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                ForwardResult result = network.forward(scope.create(x, new Shape(BATCH, STEPS, CHANNELS)),
                        new CounterNoise(9));
                NDArray logits = Losses.logits(result, LossMode.MEAN);
                result.backward(gc, Losses.crossEntropy(logits, scope.create(new long[] {0, 2, 3})));
                out.put("logits", logits.toFloatArray());
            }
            for (Map.Entry<String, NDArray> p : network.parameters().entrySet()) {
                out.put(p.getKey(), p.getValue().getGradient().toFloatArray());
            }
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"ParaLIF-SD, true, false", "ParaLIF-SD, false, true", "ParaLIF-T, true, true", "ParaLIF-GS, true, false",
        "SPSN-SB, true, false"})
    void perNeuronStartsAsTheSharedNetwork(String name, boolean learnTau, boolean recurrent) {
        NeuronType neuron = NeuronType.fromCliName(name);
        float[] x = input();
        try (Network shared = network(neuron, learnTau, recurrent, false);
             Network perNeuron = network(neuron, learnTau, recurrent, true)) {
            for (Map.Entry<String, NDArray> e : perNeuron.state().entrySet()) {
                String key = e.getKey();
                if (key.endsWith("._spk_threshold") || key.endsWith("._alpha") || key.endsWith("._beta")) {
                    assertEquals(new Shape(), shared.state().get(key).getShape(), key + " shared");
                    Shape shape = e.getValue().getShape();
                    // the output layer's tensors are the last ones of the state_dict
                    boolean output = key.startsWith((neuron.family().sequentialKeys() ? 5 : 2) + ".");
                    assertEquals(new Shape(output ? CLASSES : HIDDEN), shape, key + " per neuron");
                }
            }
            Map<String, float[]> expected = pass(shared, x);
            Map<String, float[]> actual = pass(perNeuron, x);
            assertEquals(expected.keySet(), actual.keySet(), "the same parameters learn");
            int perNeuronParameters = 0;
            for (String key : expected.keySet()) {
                float[] e = expected.get(key);
                float[] a = actual.get(key);
                if (e.length == 1 && a.length > 1) {
                    // d loss / d shared value = sum over neurons of d loss / d neuron's value
                    double sum = 0;
                    for (float v : a) {
                        sum += v;
                    }
                    assertEquals(e[0], sum, 1e-4 * Math.max(Math.abs(e[0]), 1e-3), key + " summed over neurons");
                    perNeuronParameters++;
                } else {
                    assertArrayEquals(e, a, 2e-5f * Math.max(maxAbs(e), 1e-6f), key);
                }
            }
            // alpha and beta of the 3 layers when they learn, the 2 hidden layers' thresholds where used
            int expectedPerNeuron = (learnTau ? 6 : 0) + (neuron.usesThreshold() ? 2 : 0);
            assertEquals(expectedPerNeuron, perNeuronParameters, "per-neuron parameters that learn");
            assertTrue(maxAbs(actual.get("logits")) > 0);
        }
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
