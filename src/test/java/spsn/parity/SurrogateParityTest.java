package spsn.parity;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import spsn.EngineTest;
import spsn.neuron.Firing;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertAll;

/**
 * The three firing functions on a grid with 0, +-1e-6 ... +-10 (surrogates.npz): exact forward
 * values and element-wise gradients of sum(w * f(x)).
 */
class SurrogateParityTest extends EngineTest {

    /** Element-wise float32 functions: relative error per element... */
    private static final double RTOL = 1e-5;
    /**
     * ...plus an absolute floor, a fraction of the largest gradient. 1e-8 admits the
     * straight-through form x/(1+100|x|), whose derivative loses ~3e-5 relative to
     * cancellation at |x| = 10 (absolute ~3e-11).
     */
    private static final double FLOOR = 1e-8;
    /**
     * GS: the original differentiates a two-way softmax, the port sigmoid(2 mem + g0 - g1),
     * whose float32 backward y(1-y) loses relative precision as y saturates (1.5e-4 relative
     * at y ~ 0.9996, exactly 0 instead of ~1e-9 at mem = 10); absolute errors stay below
     * 2e-7 of the largest gradient.
     */
    private static final double GS_FLOOR = 1e-6;

    private static Fixture fixture;

    @BeforeAll
    static void load() {
        fixture = Fixture.load(manager, "surrogates.npz");
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    private static void check(String name, UnaryOperator<NDArray> f, String weightKey, String spikesKey,
                              String gradKey, double floor) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = fixture.copy(scope, "x");
            x.setRequiresGradient(true);
            NDArray out;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                out = f.apply(x);
                NDArray weighted = weightKey == null ? out : out.mul(fixture.copy(scope, weightKey));
                gc.backward(weighted.sum());
            }
            NDArray value = out;
            double[] expected = fixture.doubles(gradKey);
            double largest = 0;
            for (double e : expected) {
                largest = Math.max(largest, Math.abs(e));
            }
            double atol = floor * largest;
            assertAll(
                    () -> Tolerance.assertSpikes(name + " forward", fixture.f32(spikesKey), value, null),
                    () -> Tolerance.assertRelative(name + " gradient", expected,
                            Tolerance.toDoubles(x.getGradient()), RTOL, atol));
        }
    }

    @Test
    void heavisideWithFastSigmoidSurrogate() {
        check("H, d sum(H)/dx", Firing::heaviside, null, "heaviside", "heaviside_grad_sum", FLOOR);
        check("H, d sum(w H)/dx", Firing::heaviside, "w", "heaviside", "heaviside_grad_w", FLOOR);
    }

    @Test
    void sigmoidBernoulli() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray u = fixture.noiseCopy(scope, "sb_u");
            check("SB", mem -> Firing.sigmoidBernoulli(mem, u), "w", "sb_spikes", "sb_grad_w", FLOOR);
        }
    }

    @Test
    void gumbelSoftmax() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray u0 = fixture.noiseCopy(scope, "gs_u0");
            NDArray u1 = fixture.noiseCopy(scope, "gs_u1");
            check("GS", mem -> Firing.gumbelSoftmax(mem, u0, u1), "w", "gs_spikes", "gs_grad_w", GS_FLOOR);
        }
    }
}
