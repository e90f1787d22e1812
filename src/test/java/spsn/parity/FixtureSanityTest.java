package spsn.parity;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Checks the fixtures themselves with plain Java doubles, independently of both the Python
 * script and the production code: if the reference were wrong, the parity tests would be too.
 */
class FixtureSanityTest {

    @Test
    void integrationReferenceIsTheRecurrenceAndTheKernelHasItsClosedForm() {
        System.setProperty("ai.djl.offline", "true");
        try (NDManager manager = NDManager.newBaseManager();
             Fixture fx = Fixture.load(manager, "integration.npz")) {
            double dt = fx.scalar("dt");
            double alpha = Math.exp(-dt / fx.scalar("tau_syn"));
            double beta = Math.exp(-dt / fx.scalar("tau_mem"));
            assertEquals(alpha, beta, 0.0, "default time constants are equal");
            double[] h = fx.doubles("h_50");
            for (int n = 0; n < h.length; n++) {
                // sum_{i+j=n} alpha^i (1-beta) beta^j with alpha == beta
                assertEquals((n + 1) * Math.pow(alpha, n) * (1 - beta), h[n], 1e-15, "h[" + n + "]");
            }
            for (String suffix : new String[] {"", "_alt"}) {
                double a = Math.exp(-dt / fx.scalar("tau_syn" + suffix));
                double b = Math.exp(-dt / fx.scalar("tau_mem" + suffix));
                for (int steps : new int[] {5, 50, 1000}) {
                    long[] shape = fx.raw("x_" + steps).getShape().getShape();
                    double[] x = fx.doubles("x_" + steps);
                    double[] expected = recurrence(x, (int) shape[0], (int) shape[1], (int) shape[2], a, b);
                    assertArrayEquals(expected, fx.doubles("mem" + suffix + "_" + steps), 1e-12,
                            "mem" + suffix + "_" + steps);
                }
            }
        }
    }

    @Test
    void compactNetworkArraysDecodeExactly() {
        System.setProperty("ai.djl.offline", "true");
        try (NDManager manager = NDManager.newBaseManager();
             Fixture fx = Fixture.load(manager, "network_SPSN-GS.npz")) {
            assertEquals(DataType.FLOAT16, fx.raw("param:0.fc.weight").getDataType());
            assertEquals(DataType.UINT8, fx.raw("noise_0").getDataType());
            assertEquals(DataType.UINT8, fx.raw("x").getDataType());
            assertEquals(6, fx.suffixes("noise_").size(), "three GS layers draw two noise arrays each");
            float[] codes = fx.f32("noise_0").toFloatArray();
            float[] u = fx.noise("noise_0").toFloatArray();
            for (int i = 0; i < u.length; i++) {
                assertEquals((codes[i] + 0.5f) / 256f, u[i], 0f);
            }
        }
    }

    private static double[] recurrence(double[] x, int batch, int steps, int neurons, double a, double b) {
        double[] out = new double[x.length];
        for (int s = 0; s < batch; s++) {
            for (int n = 0; n < neurons; n++) {
                double syn = 0;
                double mem = 0;
                for (int t = 0; t < steps; t++) {
                    int i = (s * steps + t) * neurons + n;
                    syn = a * syn + x[i];
                    mem = b * mem + (1 - b) * syn;
                    out[i] = mem;
                }
            }
        }
        return out;
    }
}
