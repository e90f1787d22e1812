package spsn.parity;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import spsn.EngineTest;
import spsn.neuron.Decay;
import spsn.neuron.Firing;
import spsn.neuron.LeakyIntegrator;

import static org.junit.jupiter.api.Assertions.assertAll;

/**
 * One SPSN layer (spsn_layer.npz, alpha != beta) with fixed noise: membrane, SB and GS spikes,
 * and the gradients of sum(out * R) w.r.t. W and b for out = membrane ("int"), SB spikes and
 * GS spikes.
 */
class SpsnLayerParityTest extends EngineTest {

    private static Fixture fixture;
    private static Decay decay;

    @BeforeAll
    static void load() {
        fixture = Fixture.load(manager, "spsn_layer.npz");
        decay = Decay.of(fixture.scalar("tau_syn"), fixture.scalar("tau_mem"), fixture.scalar("dt"));
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    private static NDArray fire(String kind, NDArray mem, NDManager scope) {
        return switch (kind) {
            case "int" -> mem;
            case "sb" -> Firing.sigmoidBernoulli(mem, fixture.noiseCopy(scope, "noise_sb"));
            case "gs" -> Firing.gumbelSoftmax(mem, fixture.noiseCopy(scope, "noise_gs0"),
                    fixture.noiseCopy(scope, "noise_gs1"));
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @Test
    void membraneAndSpikesMatch() {
        try (NDManager scope = manager.newSubManager();
             LeakyIntegrator integrator = new LeakyIntegrator(decay, scope)) {
            NDArray current = fixture.copy(scope, "x").matMul(fixture.copy(scope, "W").transpose())
                    .add(fixture.copy(scope, "b"));
            NDArray mem = integrator.integrate(current);
            assertAll(
                    () -> Tolerance.assertScaled("membrane vs float32 recurrence", fixture.f32("mem"), mem,
                            Tolerance.FORWARD),
                    () -> Tolerance.assertScaled("membrane vs float64 recurrence", fixture.doubles("mem_f64"),
                            Tolerance.toDoubles(mem), Tolerance.FORWARD),
                    () -> Tolerance.assertSpikes("SB spikes", fixture.f32("spikes_sb"), fire("sb", mem, scope), null),
                    () -> Tolerance.assertSpikes("GS spikes", fixture.f32("spikes_gs"), fire("gs", mem, scope), null));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"int", "sb", "gs"})
    void gradientsMatch(String kind) {
        try (NDManager scope = manager.newSubManager();
             LeakyIntegrator integrator = new LeakyIntegrator(decay, scope)) {
            NDArray w = fixture.copy(scope, "W");
            NDArray b = fixture.copy(scope, "b");
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            NDArray loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray mem = integrator.integrate(fixture.copy(scope, "x").matMul(w.transpose()).add(b));
                loss = fire(kind, mem, scope).mul(fixture.copy(scope, "R")).sum();
                gc.backward(loss);
            }
            NDArray lossValue = loss;
            assertAll(
                    () -> Tolerance.assertScaled(kind + " loss", fixture.f32("loss_" + kind), lossValue, Tolerance.FORWARD),
                    () -> Tolerance.assertScaled(kind + " dL/dW", fixture.f32("grad_" + kind + ":W"), w.getGradient(),
                            Tolerance.GRADIENT),
                    () -> Tolerance.assertScaled(kind + " dL/db", fixture.f32("grad_" + kind + ":b"), b.getGradient(),
                            Tolerance.GRADIENT));
        }
    }
}
