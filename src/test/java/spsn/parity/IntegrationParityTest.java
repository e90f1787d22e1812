package spsn.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import spsn.EngineTest;
import spsn.neuron.Decay;
import spsn.neuron.LeakyIntegrator;
import spsn.neuron.LifDynamics;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The no-reset integration (SPSN membrane, non-firing output layer) against the float64 causal
 * convolution of integration.npz, for the default time constants (alpha == beta) and for
 * alpha != beta (which catches swapped constants).
 */
class IntegrationParityTest extends EngineTest {

    private static Fixture fixture;

    @BeforeAll
    static void load() {
        fixture = Fixture.load(manager, "integration.npz");
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    private static Decay decay(String suffix) {
        return Decay.of(fixture.scalar("tau_syn" + suffix), fixture.scalar("tau_mem" + suffix), fixture.scalar("dt"));
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 50, 1000})
    void leakyIntegratorIsTheCausalConvolution(int steps) {
        for (String suffix : new String[] {"", "_alt"}) {
            try (NDManager scope = manager.newSubManager();
                 LeakyIntegrator integrator = new LeakyIntegrator(decay(suffix), scope)) {
                NDArray mem = integrator.integrate(fixture.copy(scope, "x_" + steps));
                Tolerance.assertScaled("LeakyIntegrator mem" + suffix + "_" + steps,
                        fixture.doubles("mem" + suffix + "_" + steps), Tolerance.toDoubles(mem), Tolerance.FORWARD);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 50, 1000})
    void nonFiringLifLayerIsTheSameIntegration(int steps) {
        for (String suffix : new String[] {"", "_alt"}) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray mem = LifDynamics.integrate(fixture.copy(scope, "x_" + steps), decay(suffix));
                Tolerance.assertScaled("LifDynamics.integrate mem" + suffix + "_" + steps,
                        fixture.doubles("mem" + suffix + "_" + steps), Tolerance.toDoubles(mem), Tolerance.FORWARD);
            }
        }
    }

    /** The original's circular FFT result is far from the causal one at T=50: the test above would catch it. */
    @Test
    void circularVersionOfTheOriginalWouldFail() {
        double[] causal = fixture.doubles("mem_50");
        double[] circular = fixture.doubles("mem_circular_50");
        double worst = 0;
        for (int i = 0; i < causal.length; i++) {
            worst = Math.max(worst, Math.abs(causal[i] - circular[i]));
        }
        assertTrue(worst > 0.1, "circular vs causal differ by only " + worst);
    }
}
