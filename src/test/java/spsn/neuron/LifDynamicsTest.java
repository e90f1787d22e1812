package spsn.neuron;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import spsn.EngineTest;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LifDynamicsTest extends EngineTest {

    @Test
    void forwardEqualsPlainJavaLoop() {
        int batch = 3;
        int steps = 200;
        int neurons = 4;
        Decay d = Decay.of(0.02, 0.01, Decay.DT);
        Random random = new Random(7);
        float[] x = new float[batch * steps * neurons];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() * 1.5 + 0.3);
        }
        float[] expectedSpikes = new float[x.length];
        float[] expectedMem = new float[x.length];
        boolean[] nearThreshold = new boolean[x.length];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < neurons; h++) {
                float syn = 0;
                float mem = 0;
                for (int t = 0; t < steps; t++) {
                    int i = (b * steps + t) * neurons + h;
                    syn = d.alpha() * syn + x[i];
                    mem = d.beta() * mem + (1 - d.beta()) * syn;
                    nearThreshold[i] = Math.abs(mem - 1f) < 1e-5f;
                    float spike = mem - 1f > 0 ? 1f : 0f;
                    mem = mem * (1 - spike);
                    expectedSpikes[i] = spike;
                    expectedMem[i] = mem;
                }
            }
        }
        try (NDManager scope = manager.newSubManager()) {
            LifOutput out = LifDynamics.fire(scope.create(x, new Shape(batch, steps, neurons)), d);
            float[] spikes = out.spikes().toFloatArray();
            float[] mem = out.membrane().toFloatArray();
            int fired = 0;
            for (int i = 0; i < x.length; i++) {
                if (nearThreshold[i]) {
                    continue;
                }
                assertEquals(expectedSpikes[i], spikes[i], "spike at flat index " + i);
                assertEquals(expectedMem[i], mem[i], 1e-4f, "membrane at flat index " + i);
                fired += (int) spikes[i];
            }
            assertTrue(fired > 20 && fired < x.length / 2, "a meaningful number of spikes: " + fired);
        }
    }

    @Test
    void resetIsDetachedAndSpikeGradientIsFastSigmoid() {
        // One neuron, two steps; x0 is large enough to fire at step 0 (mem0 = (1-b)*x0 > 1).
        Decay d = Decay.of(0.02, 0.02, Decay.DT);
        float a = d.alpha();
        float b = d.beta();
        float x0 = 30f;
        float mem0 = (1 - b) * x0;
        assertTrue(mem0 > 1f);
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(new float[] {x0, -25f}, new Shape(1, 2, 1));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                LifOutput out = LifDynamics.fire(x, d);
                assertEquals(1f, out.spikes().getFloat(0, 0, 0));
                assertEquals(0f, out.membrane().getFloat(0, 0, 0));
                gc.backward(out.membrane().get("0, 1, 0"));
            }
            // Detached reset: mem0 after reset carries no gradient, so mem1 = b*0 + (1-b)*(a*x0 + x1),
            // which stays below threshold (x1 = -25).
            assertArrayEquals(new float[] {(1 - b) * a, 1 - b}, x.getGradient().toFloatArray(), 1e-7f);
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(new float[] {x0, -25f}, new Shape(1, 2, 1));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(LifDynamics.fire(x, d).spikes().get("0, 0, 0"));
            }
            float surrogate = 1f / ((100f * Math.abs(mem0 - 1f) + 1f) * (100f * Math.abs(mem0 - 1f) + 1f));
            assertEquals((1 - b) * surrogate, x.getGradient().toFloatArray()[0], 1e-7f);
        }
    }

    @Test
    void gradientSurvivesGarbageCollectionBetweenForwardAndBackward() throws InterruptedException {
        // Scalar factors saved by autograd once lived in Java buffers freed by the GC (NaN grads).
        Decay d = Decay.of(0.02, 0.02, Decay.DT);
        GcSafety.assertGradientSurvivesGc(manager, new Shape(300, 4, 8), x -> {
            LifOutput out = LifDynamics.fireTimeMajor(x, d);
            return out.spikes().add(out.membrane());
        });
    }
}
