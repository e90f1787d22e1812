package spsn.parity;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import spsn.neuron.Decay;
import spsn.neuron.LeakyIntegrator;
import spsn.neuron.LifDynamics;
import spsn.neuron.Scalars;
import spsn.neuron.spike.Surrogate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;

/**
 * ParaLIF's LIF layer (lif.py's equations; paralif/lif_&lt;variant&gt;.npz): fixed and learnable
 * threshold, learnable time constants with the atan surrogate, recurrence fed by spikes or by
 * relu of the membrane. Spikes exactly, loss, every gradient, one Adamax step.
 */
class ParaLifLifParityTest {

    @BeforeAll
    static void offline() {
        System.setProperty("ai.djl.offline", "true");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ff-fixed", "ff-lt", "rec-lt", "recrelu-lt", "ff-learn"})
    void matchesReference(String variant) {
        try (NDManager scope = NDManager.newBaseManager();
             Fixture fx = Fixture.load(scope, "paralif/lif_" + variant + ".npz")) {
            boolean learnThreshold = fx.longScalar("learn_threshold") == 1;
            boolean learnTau = fx.longScalar("learn_tau") == 1;
            boolean recurrent = fx.longScalar("recurrent") == 1;
            boolean relu = recurrent && fx.longScalar("recurrent_fire") == 0;
            Surrogate surrogate = new Surrogate(fx.longScalar("surrogate_code") == 0 ? Surrogate.Kind.FASTSIG
                    : Surrogate.Kind.ATAN, (float) fx.scalar("surrogate_scale"));
            Map<String, NDArray> params = new LinkedHashMap<>();
            for (String key : fx.suffixes("param:")) {
                NDArray p = fx.copy(scope, "param:" + key);
                p.setRequiresGradient(true);
                params.put(key, p);
            }
            NDArray thetaRaw = learnThreshold ? params.get("1._spk_threshold") : fx.copy(scope, "buffer:1._spk_threshold");
            NDArray alphaRaw = learnTau ? params.get("1._alpha") : fx.copy(scope, "buffer:1._alpha");
            NDArray betaRaw = learnTau ? params.get("1._beta") : fx.copy(scope, "buffer:1._beta");
            NDArray x = fx.copy(scope, "x");
            x.setRequiresGradient(true);
            NDArray spikes;
            NDArray loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray current = x.transpose(1, 0, 2).matMul(params.get("0.weight").transpose()).add(params.get("0.bias"));
                NDArray threshold = learnThreshold ? thetaRaw.getNDArrayInternal().relu() : thetaRaw;
                NDArray alpha = learnTau ? alphaRaw.getNDArrayInternal().sigmoid() : alphaRaw;
                NDArray beta = learnTau ? betaRaw.getNDArrayInternal().sigmoid() : betaRaw;
                NDArray oneMinusBeta = beta.neg().add(1f);
                if (recurrent) {
                    NDArray w = params.get("1.fc_recu.weight");
                    NDArray b = params.get("1.fc_recu.bias");
                    spikes = LifDynamics.recurrentSpikesTimeMajor(current, alpha, beta, oneMinusBeta, threshold, surrogate,
                            h -> h.matMul(w.transpose()).add(b), relu);
                } else {
                    NDArray syn = learnTau ? LeakyIntegrator.integrateTimeMajor(current, alpha, Scalars.of(current, 0f))
                            : new LeakyIntegrator(new Decay(alpha.getFloat(), 0f), scope).integrateTimeMajor(current);
                    spikes = LifDynamics.spikesTimeMajor(syn, beta, oneMinusBeta, threshold, surrogate);
                }
                loss = spikes.mul(fx.copy(scope, "R").transpose(1, 0, 2)).sum();
                gc.backward(loss);
            }
            List<Executable> checks = new ArrayList<>();
            NDArray batchFirst = spikes.transpose(1, 0, 2);
            NDArray finalLoss = loss;
            checks.add(() -> Tolerance.assertSpikes("spikes", fx.f32("spikes"), batchFirst, null));
            checks.add(() -> Tolerance.assertScaled("loss", fx.f32("loss"), finalLoss, Tolerance.FORWARD));
            checks.add(() -> Tolerance.assertScaled("grad x", fx.doubles("grad:x"), Tolerance.toDoubles(x.getGradient()),
                    Tolerance.GRADIENT));
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                double[] actual = Tolerance.toDoubles(e.getValue().getGradient());
                double tolerance = actual.length == 1 ? Tolerance.SCALAR_GRADIENT : Tolerance.GRADIENT;
                checks.add(() -> Tolerance.assertScaled("grad " + e.getKey(), fx.doubles("grad:" + e.getKey()), actual,
                        tolerance));
            }
            ParaLifLayerParityTest.adamaxStep(fx, params, scope, checks);
            assertAll(variant, checks);
        }
    }
}
