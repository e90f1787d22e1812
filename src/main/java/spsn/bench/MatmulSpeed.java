package spsn.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Float32 matrix-product throughput of the engine here, the unit of the FLOP floor. */
final class MatmulSpeed {

    private MatmulSpeed() {
    }

    /**
     * Best of fifteen [65536 x 128] x [128 x 128] products, the shape of a hidden layer's step,
     * after one to warm up: the first few also pay for fresh pages of their result.
     */
    static double measureGflops(Device device) {
        try (NDManager manager = NDManager.newBaseManager(device)) {
            NDArray a = manager.randomNormal(new Shape(8192 * 8, 128));
            NDArray b = manager.randomNormal(new Shape(128, 128));
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 16; i++) {
                long start = System.nanoTime();
                try (NDArray product = a.matMul(b)) {
                    product.getFloat(0, 0); // forces completion on asynchronous devices
                }
                if (i > 0) {
                    best = Math.min(best, (System.nanoTime() - start) / 1e9);
                }
            }
            return 2.0 * 8192 * 8 * 128 * 128 / best / 1e9;
        }
    }
}
