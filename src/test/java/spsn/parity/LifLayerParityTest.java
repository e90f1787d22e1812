package spsn.parity;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import spsn.EngineTest;
import spsn.neuron.Decay;
import spsn.neuron.LifDynamics;
import spsn.neuron.LifOutput;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A firing LIF layer feeding a non-firing one (lif_layer.npz, alpha != beta): spikes, membrane
 * after reset, output membrane, and the gradients of
 * L = sum(mem_out * R_out) + sum(mem * R_hid) through the surrogate and the detached reset.
 */
class LifLayerParityTest extends EngineTest {

    private static Fixture fixture;
    private static Decay decay;

    @BeforeAll
    static void load() {
        fixture = Fixture.load(manager, "lif_layer.npz");
        decay = Decay.of(fixture.scalar("tau_syn"), fixture.scalar("tau_mem"), fixture.scalar("dt"));
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    private static boolean anyNearThreshold() {
        for (boolean near : fixture.booleans("near_threshold")) {
            if (near) {
                return true;
            }
        }
        return false;
    }

    @Test
    void forwardMatches() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x1 = fixture.copy(scope, "x").matMul(fixture.copy(scope, "W1").transpose())
                    .add(fixture.copy(scope, "b1"));
            LifOutput hidden = LifDynamics.fire(x1, decay);
            NDArray x2 = hidden.spikes().matMul(fixture.copy(scope, "W2").transpose()).add(fixture.copy(scope, "b2"));
            NDArray memOut = LifDynamics.integrate(x2, decay);
            // Spikes within 1e-6 of the threshold may differ in float32; the script chooses
            // inputs with none, so everything downstream must match too.
            Tolerance.assertSpikes("hidden spikes", fixture.f32("spikes"), hidden.spikes(),
                    fixture.booleans("near_threshold"));
            assertFalse(anyNearThreshold(), "fixture has near-threshold spikes; regenerate it");
            assertAll(
                    () -> Tolerance.assertScaled("X1 = x W1^T + b1", fixture.f32("X1"), x1, Tolerance.FORWARD),
                    () -> Tolerance.assertScaled("hidden membrane after reset", fixture.f32("mem"),
                            hidden.membrane(), Tolerance.FORWARD),
                    () -> Tolerance.assertScaled("output membrane", fixture.f32("mem_out"), memOut, Tolerance.FORWARD));
        }
    }

    @Test
    void gradientsMatch() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = fixture.copy(scope, "x");
            NDArray w1 = fixture.copy(scope, "W1");
            NDArray b1 = fixture.copy(scope, "b1");
            NDArray w2 = fixture.copy(scope, "W2");
            NDArray b2 = fixture.copy(scope, "b2");
            NDArray[] inputs = {x, w1, b1, w2, b2};
            for (NDArray a : inputs) {
                a.setRequiresGradient(true);
            }
            NDArray loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                LifOutput hidden = LifDynamics.fire(x.matMul(w1.transpose()).add(b1), decay);
                NDArray memOut = LifDynamics.integrate(hidden.spikes().matMul(w2.transpose()).add(b2), decay);
                loss = memOut.mul(fixture.copy(scope, "R_out")).sum()
                        .add(hidden.membrane().mul(fixture.copy(scope, "R_hid")).sum());
                gc.backward(loss);
            }
            NDArray lossValue = loss;
            assertAll(
                    () -> Tolerance.assertScaled("loss", fixture.f32("loss"), lossValue, Tolerance.FORWARD),
                    () -> Tolerance.assertScaled("dL/dW1", fixture.f32("grad:W1"), w1.getGradient(), Tolerance.GRADIENT),
                    () -> Tolerance.assertScaled("dL/db1", fixture.f32("grad:b1"), b1.getGradient(), Tolerance.GRADIENT),
                    () -> Tolerance.assertScaled("dL/dW2", fixture.f32("grad:W2"), w2.getGradient(), Tolerance.GRADIENT),
                    () -> Tolerance.assertScaled("dL/db2", fixture.f32("grad:b2"), b2.getGradient(), Tolerance.GRADIENT),
                    () -> Tolerance.assertScaled("dL/dx", fixture.f32("grad:x"), x.getGradient(), Tolerance.GRADIENT));
        }
    }
}
