package spsn.parity;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import spsn.train.Adamax;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Three steps of torch.optim.Adamax on two parameters (adamax.npz), with a zero gradient, an
 * eps-sized one that changes sign, and a decaying one (exp_inf keeps its maximum).
 */
class AdamaxParityTest {

    /** Parameters are O(1) and steps O(lr): 1e-7 is a few float32 ulps. */
    private static final double ATOL = 1e-7;

    @ParameterizedTest
    @EnumSource(Adamax.Kernel.class)
    void threeStepsMatchTorch(Adamax.Kernel kernel) {
        System.setProperty("ai.djl.offline", "true");
        try (NDManager manager = NDManager.newBaseManager();
             Fixture fx = Fixture.load(manager, "adamax.npz");
             Adamax adamax = new Adamax(manager, fx.scalar("lr"), fx.scalar("beta1"), fx.scalar("beta2"),
                     fx.scalar("eps"), kernel)) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            for (String name : fx.suffixes("param:")) {
                NDArray p = fx.copy(manager, "param:" + name);
                p.setRequiresGradient(true);
                params.put(name, p);
            }
            for (int step = 1; step <= 3; step++) {
                try (NDManager scope = manager.newSubManager()) {
                    for (Map.Entry<String, NDArray> e : params.entrySet()) {
                        if (step > 1) {
                            NDArray grad = e.getValue().getGradient();
                            grad.subi(grad); // gradients accumulate across backward calls
                        }
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            // d/dp sum(p * g) = g
                            gc.backward(e.getValue().mul(fx.copy(scope, "grad_" + step + ":" + e.getKey())).sum());
                        }
                    }
                    adamax.step(params);
                }
                for (Map.Entry<String, NDArray> e : params.entrySet()) {
                    Tolerance.assertRelative(kernel + " step " + step + " param " + e.getKey(),
                            fx.doubles("after_" + step + ":" + e.getKey()), Tolerance.toDoubles(e.getValue()), 0, ATOL);
                }
            }
        }
    }
}
