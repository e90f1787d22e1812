package spsn.parity;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import spsn.EngineTest;
import spsn.train.LossMode;
import spsn.train.Losses;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;

/** Cross-entropy per loss mode and the rate regulariser (loss.npz), values and gradients. */
class LossParityTest extends EngineTest {

    private static Fixture fixture;

    @BeforeAll
    static void load() {
        fixture = Fixture.load(manager, "loss.npz");
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"last", "max", "mean"})
    void crossEntropy(String mode) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray output = fixture.copy(scope, "output");
            NDArray labels = scope.create(fixture.raw("labels").toLongArray());
            output.setRequiresGradient(true);
            NDArray loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                loss = Losses.crossEntropy(output, labels, LossMode.fromCliName(mode));
                gc.backward(loss);
            }
            NDArray value = loss;
            assertAll(
                    () -> Tolerance.assertScaled("cross-entropy " + mode, fixture.f32("loss_" + mode), value,
                            Tolerance.FORWARD),
                    () -> Tolerance.assertScaled("d cross-entropy/d output " + mode,
                            fixture.f32("grad_" + mode + ":output"), output.getGradient(), Tolerance.FORWARD));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"active", "inactive"})
    void rateRegularizer(String regime) {
        try (NDManager scope = manager.newSubManager()) {
            List<NDArray> rates = new ArrayList<>();
            for (String i : fixture.suffixes("rate_")) {
                NDArray rate = fixture.copy(scope, "rate_" + i);
                rate.setRequiresGradient(true);
                rates.add(rate);
            }
            NDArray reg;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                reg = Losses.rateRegularizer(rates, fixture.scalar("reg_thr_" + regime));
                gc.backward(reg);
            }
            NDArray value = reg;
            List<org.junit.jupiter.api.function.Executable> checks = new ArrayList<>();
            checks.add(() -> Tolerance.assertScaled("regulariser " + regime, fixture.f32("reg_" + regime), value,
                    Tolerance.FORWARD));
            for (int i = 0; i < rates.size(); i++) {
                int layer = i;
                checks.add(() -> Tolerance.assertScaled("d regulariser/d rate_" + layer + " " + regime,
                        fixture.f32("reg_grad_" + regime + ":rate_" + layer), rates.get(layer).getGradient(),
                        Tolerance.FORWARD));
            }
            assertAll(checks);
        }
    }
}
