package spsn.parity;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import spsn.model.ForwardResult;
import spsn.model.IntegrationPath;
import spsn.model.Network;
import spsn.model.NetworkConfig;
import spsn.model.NeuronType;
import spsn.train.Adamax;
import spsn.train.LossMode;
import spsn.train.Losses;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole 700-128-128-128-20 network on one batch (network_&lt;neuron&gt;.npz): output, rates,
 * loss, every parameter gradient, and one Adamax step, with the reference's parameters and noise.
 */
class NetworkParityTest {

    private static final LossMode[] LOSS_MODES = {LossMode.LAST, LossMode.MAX, LossMode.MEAN};
    /** The stored step (after - before) is float16: 11 significant bits. */
    private static final double STEP_RTOL = 1e-3;

    @BeforeAll
    static void offline() {
        System.setProperty("ai.djl.offline", "true");
    }

    @ParameterizedTest
    @ValueSource(strings = {"LIF", "SPSN-SB", "SPSN-GS", "Non-Spiking"})
    void matchesReference(String neuron) {
        try (NDManager manager = NDManager.newBaseManager();
             Fixture fx = Fixture.load(manager, "network_" + neuron + ".npz")) {
            NetworkConfig config = new NetworkConfig(NeuronType.fromCliName(neuron),
                    (int) fx.longScalar("input_size"), (int) fx.longScalar("hidden_size"),
                    (int) fx.longScalar("nb_layers"), (int) fx.longScalar("nb_classes"),
                    fx.scalar("tau_mem"), fx.scalar("tau_syn"));
            for (IntegrationPath integration : IntegrationPath.values()) {
                try (Network network = Network.create(manager, config, 1L)) {
                    LinkedHashMap<String, NDArray> params = network.parameters();
                    assertEquals(fx.suffixes("param:"), new ArrayList<>(params.keySet()), "state_dict names and order");
                    for (Map.Entry<String, NDArray> e : params.entrySet()) {
                        NDArray reference = fx.f32("param:" + e.getKey());
                        assertArrayEquals(reference.getShape().getShape(), e.getValue().getShape().getShape(),
                                e.getKey() + " shape");
                        e.getValue().set(reference.toFloatArray());
                    }
                    List<Executable> checks = new ArrayList<>();
                    forwardAndBackward(fx, network, manager, checks, integration);
                    adamaxStep(fx, params, manager, checks);
                    assertAll(neuron + ", " + integration + " integration", checks);
                }
            }
        }
    }

    private static void forwardAndBackward(Fixture fx, Network network, NDManager manager, List<Executable> checks,
                                           IntegrationPath integration) {
        NDArray x = fx.copy(manager, "x");
        NDArray labels = manager.create(fx.raw("labels").toLongArray());
        FixtureNoise noise = new FixtureNoise(fx);
        double regThr = fx.scalar("reg_thr");
        ForwardResult result;
        NDArray output;
        NDArray ce;
        NDArray reg;
        NDArray loss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            result = network.forward(x, noise, integration);
            output = result.output(); // now: the output layer runs on demand, with the current weights
            // the loss from the readout that training uses (no full output); the output is checked below
            ce = Losses.crossEntropy(Losses.logits(result, LOSS_MODES[(int) fx.longScalar("loss_mode_code")]), labels);
            reg = regThr > 0 ? Losses.rateRegularizer(result.rates(), regThr) : manager.create(0f);
            loss = ce.add(reg);
            result.backward(gc, loss);
        }
        checks.add(() -> assertEquals(noise.available(), noise.used(), "noise arrays drawn"));
        checks.add(() -> Tolerance.assertScaled("output", fx.f32("output"), output, Tolerance.FORWARD));
        List<String> rateKeys = fx.suffixes("rate_");
        checks.add(() -> assertEquals(rateKeys.size(), result.rates().size(), "number of rate arrays"));
        for (int i = 0; i < Math.min(rateKeys.size(), result.rates().size()); i++) {
            int layer = i;
            checks.add(() -> Tolerance.assertScaled("rate_" + layer, fx.f32("rate_" + layer),
                    result.rates().get(layer), Tolerance.FORWARD));
        }
        checks.add(() -> Tolerance.assertScaled("cross-entropy", fx.f32("loss_ce"), ce, Tolerance.FORWARD));
        checks.add(() -> Tolerance.assertScaled("regulariser", fx.f32("loss_reg"), reg, Tolerance.FORWARD));
        checks.add(() -> Tolerance.assertScaled("loss", fx.f32("loss"), loss, Tolerance.FORWARD));
        for (Map.Entry<String, NDArray> e : network.parameters().entrySet()) {
            String name = e.getKey();
            double[] actual = Tolerance.toDoubles(e.getValue().getGradient());
            checks.add(() -> Tolerance.assertScaled("grad " + name, fx.doubles("grad:" + name), actual,
                    Tolerance.GRADIENT));
        }
    }

    /**
     * One Adamax step from a fresh state moves each weight by about -lr * sign(grad). Where the
     * reference gradient is within the gradient tolerance of 0 its sign is not determined, so
     * those elements are skipped.
     */
    private static void adamaxStep(Fixture fx, Map<String, NDArray> params, NDManager manager,
                                   List<Executable> checks) {
        Map<String, double[]> before = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            before.put(e.getKey(), Tolerance.toDoubles(e.getValue()));
        }
        try (Adamax adamax = new Adamax(manager, 1e-3, 0.9, 0.999, 1e-8)) {
            adamax.step(params);
        }
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            String name = e.getKey();
            double[] after = Tolerance.toDoubles(e.getValue());
            double[] was = before.get(name);
            double[] expected = fx.doubles("step:" + name);
            double[] grad = fx.doubles("grad:" + name);
            double gradScale = 0;
            for (double g : grad) {
                gradScale = Math.max(gradScale, Math.abs(g));
            }
            List<Double> e1 = new ArrayList<>();
            List<Double> a1 = new ArrayList<>();
            for (int i = 0; i < after.length; i++) {
                if (Math.abs(grad[i]) > Tolerance.GRADIENT * gradScale) {
                    e1.add(expected[i]);
                    a1.add(after[i] - was[i]);
                }
            }
            checks.add(() -> Tolerance.assertRelative("Adamax step " + name,
                    e1.stream().mapToDouble(Double::doubleValue).toArray(),
                    a1.stream().mapToDouble(Double::doubleValue).toArray(), STEP_RTOL, 1e-9));
        }
    }
}
