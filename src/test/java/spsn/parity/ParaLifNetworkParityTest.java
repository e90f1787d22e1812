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
import spsn.model.NeuronOptions;
import spsn.model.NeuronType;
import spsn.neuron.spike.Surrogate;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole ParaLIF networks (paralif/network_*.npz, from the equations, see
 * tools/reference/PARALIF-FIXTURES.md): ParaLIF's state_dict keys and shapes with buffers, output,
 * rates (recurrent ones too), loss with both regularisers and the cumsum mode, every gradient (the
 * threshold and the time constants' included), no gradient where ParaLIF gives none, and one
 * Adamax step with weight decay.
 */
class ParaLifNetworkParityTest {

    private static final LossMode[] LOSS_MODES = {LossMode.LAST, LossMode.MAX, LossMode.MEAN, LossMode.CUMSUM};
    private static final double STEP_RTOL = 1e-3;

    @BeforeAll
    static void offline() {
        System.setProperty("ai.djl.offline", "true");
    }

    /** The network a fixture describes, with ParaLIF's flags from its codes. */
    static NetworkConfig config(Fixture fx, String neuron) {
        NeuronOptions options = new NeuronOptions(fx.longScalar("recurrent") == 1,
                fx.longScalar("recurrent") == 1 && fx.longScalar("recurrent_fire") == 0,
                fx.longScalar("learn_tau") == 1, fx.scalar("spk_threshold_init"),
                new Surrogate(fx.longScalar("surrogate_code") == 0 ? Surrogate.Kind.FASTSIG : Surrogate.Kind.ATAN,
                        (float) fx.scalar("surrogate_scale")));
        return new NetworkConfig(NeuronType.fromCliName(neuron), (int) fx.longScalar("input_size"),
                (int) fx.longScalar("hidden_size"), (int) fx.longScalar("nb_layers"), (int) fx.longScalar("nb_classes"),
                fx.scalar("tau_mem"), fx.scalar("tau_syn"), options);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ParaLIF-GS_ff_mean", "ParaLIF-SD_rec_cumsum", "ParaLIF-TRB_ff_last",
        "ParaLIF-T_recrelu_max", "ParaLIF-GS_rec_cumsum", "LIF-LT_rec_mean"})
    void matchesReference(String name) {
        String neuron = name.substring(0, name.indexOf('_'));
        try (NDManager manager = NDManager.newBaseManager();
             Fixture fx = Fixture.load(manager, "paralif/network_" + name + ".npz")) {
            NetworkConfig config = config(fx, neuron);
            for (IntegrationPath integration : IntegrationPath.values()) {
                try (Network network = Network.create(manager, config, 1L)) {
                    List<String> expectedKeys = new ArrayList<>();
                    for (String key : fx.suffixes("param:")) {
                        expectedKeys.add(key);
                    }
                    List<String> buffers = fx.suffixes("buffer:");
                    List<String> ours = new ArrayList<>(network.state().keySet());
                    List<String> all = new ArrayList<>(expectedKeys);
                    all.addAll(buffers);
                    assertEquals(all.stream().sorted().toList(), ours.stream().sorted().toList(), "state_dict keys");
                    List<String> trainable = expectedKeys.stream().filter(k -> !fx.suffixes("nograd:").contains(k)).toList();
                    assertEquals(trainable, new ArrayList<>(network.parameters().keySet()), "trained parameters, in order");
                    for (Map.Entry<String, NDArray> e : network.state().entrySet()) {
                        String key = (expectedKeys.contains(e.getKey()) ? "param:" : "buffer:") + e.getKey();
                        NDArray reference = fx.f32(key);
                        assertArrayEquals(reference.getShape().getShape(), e.getValue().getShape().getShape(),
                                e.getKey() + " shape");
                        e.getValue().set(reference.toFloatArray());
                    }
                    List<Executable> checks = new ArrayList<>();
                    forwardAndBackward(fx, network, manager, checks, k -> k, integration);
                    adamaxStep(fx, network.parameters(), manager, checks, k -> k);
                    assertAll(name + ", " + integration + " integration", checks);
                }
            }
        }
    }

    /**
     * ParaLIF's plain "LIF" network is SPSN's LIF neuron (fixed threshold 1) in ParaLIF's layout:
     * here it runs as this port's LIF with --learn_tau, SPSN's keys (0.fc.weight, 0._alpha, ...).
     */
    @org.junit.jupiter.api.Test
    void spsnLifWithLearnableTimeConstantsMatchesParaLifsLif() {
        try (NDManager manager = NDManager.newBaseManager();
             Fixture fx = Fixture.load(manager, "paralif/network_LIF_ff_cumsum.npz")) {
            NetworkConfig config = config(fx, "LIF");
            for (IntegrationPath integration : IntegrationPath.values()) {
                try (Network network = Network.create(manager, config, 1L)) {
                    Map<String, String> ours = new LinkedHashMap<>();
                    for (String key : fx.suffixes("param:")) {
                        int module = Integer.parseInt(key.substring(0, key.indexOf('.')));
                        String rest = key.substring(key.indexOf('.') + 1);
                        ours.put(key, module % 2 == 0 ? (module / 2) + ".fc." + rest : (module / 2) + "." + rest);
                    }
                    List<String> trained = ours.entrySet().stream().filter(e -> !fx.suffixes("nograd:").contains(e.getKey()))
                            .map(Map.Entry::getValue).toList();
                    assertEquals(trained, new ArrayList<>(network.parameters().keySet()), "SPSN's keys, in order");
                    for (Map.Entry<String, String> e : ours.entrySet()) {
                        network.parameters().get(e.getValue()).set(fx.f32("param:" + e.getKey()).toFloatArray());
                    }
                    Map<String, String> fileKey = new LinkedHashMap<>();
                    ours.forEach((file, mine) -> fileKey.put(mine, file));
                    List<Executable> checks = new ArrayList<>();
                    forwardAndBackward(fx, network, manager, checks, fileKey::get, integration);
                    adamaxStep(fx, network.parameters(), manager, checks, fileKey::get);
                    assertAll("LIF_ff_cumsum, " + integration + " integration", checks);
                }
            }
        }
    }

    /** {@code fileKey}: the fixture's name of one of our parameters. */
    private static void forwardAndBackward(Fixture fx, Network network, NDManager manager, List<Executable> checks,
                                           java.util.function.UnaryOperator<String> fileKey,
                                           IntegrationPath integration) {
        NDArray x = fx.copy(manager, "x");
        NDArray labels = manager.create(fx.raw("labels").toLongArray());
        FixtureNoise noise = new FixtureNoise(fx);
        LossMode mode = LOSS_MODES[(int) fx.longScalar("loss_mode_code")];
        double regThr = fx.scalar("reg_thr");
        double regThrR = fx.scalar("reg_thr_r");
        long neurons = (long) network.config().nbLayers() * network.config().hiddenSize();
        ForwardResult result;
        NDArray output;
        NDArray logits;
        NDArray ce;
        NDArray loss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            result = network.forward(x, noise, integration);
            output = result.output();
            logits = Losses.logits(result, mode);
            ce = Losses.crossEntropy(logits, labels);
            NDArray l = ce;
            if (regThr > 0) {
                l = l.add(Losses.rateRegularizer(result.rates(), regThr));
            }
            if (regThrR > 0) {
                l = l.add(Losses.recurrentRateRegularizer(result.recurrentRates(), regThrR, neurons, l));
            }
            loss = l;
            result.backward(gc, loss);
        }
        checks.add(() -> assertEquals(noise.available(), noise.used(), "noise arrays drawn"));
        checks.add(() -> Tolerance.assertScaled("output", fx.f32("output"), output, Tolerance.FORWARD));
        checks.add(() -> Tolerance.assertScaled("logits", fx.f32("logits"), logits, Tolerance.FORWARD));
        int layers = network.config().nbLayers();
        checks.add(() -> assertEquals(layers, result.rates().size(), "number of rate arrays"));
        for (int i = 0; i < layers; i++) {
            int layer = i;
            checks.add(() -> Tolerance.assertScaled("rate_" + layer, fx.f32("rate_" + layer),
                    result.rates().get(layer), Tolerance.FORWARD));
            if (!result.recurrentRates().isEmpty()) {
                checks.add(() -> Tolerance.assertScaled("rate_rec_" + layer, fx.f32("rate_rec_" + layer),
                        result.recurrentRates().get(layer), Tolerance.FORWARD));
            } else if (fx.suffixes("rate_rec_").contains(String.valueOf(layer))) {
                checks.add(() -> assertEquals(0.0, fx.f32("rate_rec_" + layer).abs().max().getFloat(), 0.0,
                        "rate_rec_" + layer + " (no recurrent spikes here)"));
            }
        }
        checks.add(() -> Tolerance.assertScaled("cross-entropy", fx.f32("loss_ce"), ce, Tolerance.FORWARD));
        checks.add(() -> Tolerance.assertScaled("loss", fx.f32("loss"), loss, Tolerance.FORWARD));
        for (Map.Entry<String, NDArray> e : network.parameters().entrySet()) {
            String name = e.getKey();
            double[] actual = Tolerance.toDoubles(e.getValue().getGradient());
            checks.add(() -> Tolerance.assertScaled("grad " + name, fx.doubles("grad:" + fileKey.apply(name)), actual,
                    Tolerance.GRADIENT));
        }
    }

    /** As NetworkParityTest's: sign-determined entries of one fresh Adamax step, relative 1e-3. */
    private static void adamaxStep(Fixture fx, Map<String, NDArray> params, NDManager manager,
                                   List<Executable> checks, java.util.function.UnaryOperator<String> fileKey) {
        Map<String, double[]> before = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            before.put(e.getKey(), Tolerance.toDoubles(e.getValue()));
        }
        try (Adamax adamax = new Adamax(manager, fx.scalar("adamax_lr"), 0.9, 0.999, 1e-8,
                fx.scalar("adamax_weight_decay"), Adamax.Kernel.JAVA)) {
            adamax.step(params);
        }
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            String name = e.getKey();
            double[] after = Tolerance.toDoubles(e.getValue());
            double[] was = before.get(name);
            double[] expected = fx.doubles("step:" + fileKey.apply(name));
            double[] grad = fx.doubles("grad:" + fileKey.apply(name));
            double scale = 0;
            for (double g : grad) {
                scale = Math.max(scale, Math.abs(g));
            }
            double gradScale = scale;
            List<Double> e1 = new ArrayList<>();
            List<Double> a1 = new ArrayList<>();
            for (int i = 0; i < after.length; i++) {
                if (Math.abs(grad[i]) > Tolerance.GRADIENT * gradScale) {
                    e1.add(expected[i]);
                    a1.add(after[i] - was[i]);
                }
            }
            checks.add(() -> assertTrue(e1.size() > 0 || gradScale == 0, "Adamax step " + name + " checks something"));
            checks.add(() -> Tolerance.assertRelative("Adamax step " + name,
                    e1.stream().mapToDouble(Double::doubleValue).toArray(),
                    a1.stream().mapToDouble(Double::doubleValue).toArray(), STEP_RTOL, 1e-9));
        }
    }
}
