package spsn.neuron;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The causal convolution mem = h * X computed by blocks, with matrix products only (no FFT, no
 * time loop), for inputs whose first axis is time ([T, ...], the network's layout). Time is cut
 * into N chunks of C steps and all other axes are flattened into K columns:
 * <ol>
 *   <li>inside each chunk, one product with a (C+2) x C matrix gives the zero-state response
 *       of every step (lower-triangular Toeplitz of h) and the chunk's final synaptic current and
 *       membrane;</li>
 *   <li>the state (syn, mem) entering each chunk is a causal sum over earlier chunks, three
 *       N x N products with the closed-form decays between chunk ends;</li>
 *   <li>that entering state adds beta^(i+1)*mem + g[i]*syn to step i of the chunk (a rank-2
 *       correction), g being the membrane response to a unit synaptic current.</li>
 * </ol>
 * With time first, every product is a batch of N plain [(C+2) x C] x [C x K] matrix products over
 * contiguous memory (K = B*H is large), and no transposed copy is ever made. About T*(C+4)
 * multiply-adds per neuron, no large complex temporaries; equal to the sequential recurrence up
 * to float32 rounding. Inputs whose length is not a multiple of C are padded at the end (the
 * convolution is causal, so the padding never reaches a real step).
 */
final class ChunkedScan {

    /**
     * Chunk length. The products cost T*C per neuron, the carries (T/C)^2: at SHD sizes 32 was
     * fastest of 16, 32, 64 and 128 (forward+backward 50, 48, 58, 70 ms per layer).
     */
    static final int CHUNK = 32;

    private final Decay decay;
    private final NDManager cacheManager;
    private final Map<Integer, NDArray[]> chunkMatrices = new ConcurrentHashMap<>();
    private final Map<Long, NDArray[]> carryMatrices = new ConcurrentHashMap<>();

    ChunkedScan(Decay decay, NDManager cacheManager) {
        this.decay = decay;
        this.cacheManager = cacheManager;
    }

    /** The length the network should give its time axis so that no padding is needed here. */
    static int alignedLength(int steps) {
        return steps <= CHUNK ? steps : (steps + CHUNK - 1) / CHUNK * CHUNK;
    }

    /** Membrane for currents [T, ...] (time first); same shape out. */
    NDArray integrateTimeMajor(NDArray x) {
        int steps = (int) x.getShape().get(0);
        int chunk = Math.min(CHUNK, steps);
        int chunks = (steps + chunk - 1) / chunk;
        NDArray[] within = chunkMatrices.computeIfAbsent(chunk, c -> upload(chunkMatrices(decay, c), cacheManager));
        NDArray[] across = carryMatrices.computeIfAbsent(((long) chunk << 32) | chunks,
                key -> upload(carryMatrices(decay, chunk, chunks), cacheManager));
        return integrate(x, within, across);
    }

    /**
     * The same for decay factors that learn: {@code alpha} and {@code beta} are 0-d tensors in the
     * autograd graph (this scan's own decay is ignored). The small matrices are built for their
     * current values and linearised around them, M = M0 + (alpha - alpha0) dM/dalpha +
     * (beta - beta0) dM/dbeta with alpha0, beta0 detached: exactly M0 in value (so the same
     * numbers as fixed factors), with the exact first derivatives, so that the gradient reaches
     * alpha and beta through every product. The derivatives are computed in double precision in
     * Java, alongside the values (see {@link DecayDerivatives}).
     */
    static NDArray integrateTimeMajor(NDArray x, NDArray alpha, NDArray beta) {
        int steps = (int) x.getShape().get(0);
        int chunk = Math.min(CHUNK, steps);
        int chunks = (steps + chunk - 1) / chunk;
        Decay at = new Decay(alpha.getFloat(), beta.getFloat());
        DecayDerivatives d = new DecayDerivatives(at, Math.max(chunk, chunk * chunks));
        NDManager scope = x.getManager();
        try (NDArray dAlpha = alpha.sub(alpha.stopGradient()); NDArray dBeta = beta.sub(beta.stopGradient())) {
            NDArray[] within = linearised(chunkMatrices(at, chunk), chunkDerivatives(d, chunk), dAlpha, dBeta, scope);
            NDArray[] across = linearised(carryMatrices(at, chunk, chunks), carryDerivatives(d, chunk, chunks),
                    dAlpha, dBeta, scope);
            return integrate(x, within, across);
        }
    }

    private static NDArray integrate(NDArray x, NDArray[] within, NDArray[] across) {
        Shape shape = x.getShape();
        int steps = (int) shape.get(0);
        long columns = shape.size() / steps;
        int chunk = Math.min(CHUNK, steps);
        int chunks = (steps + chunk - 1) / chunk;
        try (TempArrays tmp = new TempArrays()) {
            NDArray flat = tmp.add(x.reshape(steps, columns));
            NDArray padded = steps == chunk * chunks ? flat
                    : tmp.add(flat.pad(new Shape(0, 0, 0, (long) chunk * chunks - steps), 0));
            NDArray chunked = tmp.add(padded.reshape(chunks, chunk, columns));
            // [C+2, C] x [N, C, K]: the zero-state response of every step of each chunk, then the
            // chunk's final synaptic current and membrane. One product split in two (one autograd
            // node): the backward pass then writes a single full-size gradient for x, where two
            // products (or two slices) would each write one and add them up.
            NDList parts = tmp.add(within[0].matMul(chunked)).split(new long[] {chunk}, 1);
            NDArray response = tmp.add(parts.get(0));
            NDArray ends = tmp.add(parts.get(1));
            NDArray synEnd = tmp.add(ends.get(new NDIndex(":, 0, :")));
            NDArray memEnd = tmp.add(ends.get(new NDIndex(":, 1, :")));
            // state entering each chunk: causal sums over earlier chunks, [N, N] x [N, K]
            NDArray synIn = tmp.add(across[0].matMul(synEnd));
            NDArray memIn = tmp.add(tmp.add(across[1].matMul(memEnd)).add(tmp.add(across[2].matMul(synEnd))));
            NDArray entering = tmp.add(NDArrays.stack(new NDList(memIn, synIn), 1));
            // [C, 2] x [N, 2, K]: the entering state's effect on every step
            NDArray mem = tmp.add(response.add(tmp.add(within[1].matMul(entering))));
            NDArray out = steps == chunk * chunks ? mem.reshape(shape)
                    : tmp.add(tmp.add(mem.reshape(chunk * chunks, columns)).get(new NDIndex(":" + steps))).reshape(shape);
            // A product's result belongs to its left factor's manager, here the long-lived cache:
            // hand the result to the caller's (batch) scope, or it would keep the graph alive.
            out.attach(x.getManager());
            return out;
        }
    }

    /** A matrix's values as a float32 array of {@code shape}. */
    private record HostMatrix(float[] values, Shape shape) {
    }

    private static NDArray[] upload(HostMatrix[] matrices, NDManager manager) {
        NDArray[] arrays = new NDArray[matrices.length];
        for (int i = 0; i < matrices.length; i++) {
            arrays[i] = manager.create(matrices[i].values(), matrices[i].shape());
        }
        return arrays;
    }

    /**
     * M0 + dAlpha * dM/dalpha + dBeta * dM/dbeta for each matrix, in the batch's scope. The Java-made
     * arrays stay open with the scope: autograd reads them in the backward pass.
     */
    private static NDArray[] linearised(HostMatrix[] values, HostMatrix[][] derivatives, NDArray dAlpha,
                                        NDArray dBeta, NDManager scope) {
        NDArray[] arrays = new NDArray[values.length];
        for (int i = 0; i < values.length; i++) {
            NDArray value = scope.create(values[i].values(), values[i].shape());
            NDArray byAlpha = scope.create(derivatives[0][i].values(), values[i].shape());
            NDArray byBeta = scope.create(derivatives[1][i].values(), values[i].shape());
            try (NDArray a = byAlpha.mul(dAlpha); NDArray b = byBeta.mul(dBeta); NDArray sum = value.add(a)) {
                arrays[i] = sum.add(b);
            }
        }
        return arrays;
    }

    /**
     * Left factors. [0]: (C+2) x C, the Toeplitz of h (row i: out[i] = sum_{j<=i} h[i-j] x[j]),
     * then the chunk's final synaptic current (alpha^(C-1-j)) and membrane (h[C-1-j]). [1]: C x 2,
     * the response of step i to the entering state: column 0 beta^(i+1) (membrane), column 1 g[i]
     * (synaptic current).
     */
    private static HostMatrix[] chunkMatrices(Decay decay, int chunk) {
        double[] h = decay.kernel(chunk);
        double[] g = synapticResponse(decay, chunk);
        float[] responses = new float[(chunk + 2) * chunk];
        float[] correction = new float[chunk * 2];
        for (int i = 0; i < chunk; i++) {
            for (int j = 0; j <= i; j++) {
                responses[i * chunk + j] = (float) h[i - j];
            }
            responses[chunk * chunk + i] = (float) Math.pow(decay.alpha(), chunk - 1 - i);
            responses[(chunk + 1) * chunk + i] = (float) h[chunk - 1 - i];
            correction[i * 2] = (float) Math.pow(decay.beta(), i + 1);
            correction[i * 2 + 1] = (float) g[i];
        }
        return new HostMatrix[] {
            new HostMatrix(responses, new Shape(chunk + 2, chunk)), new HostMatrix(correction, new Shape(chunk, 2))
        };
    }

    /** d/dalpha ([0]) and d/dbeta ([1]) of {@link #chunkMatrices}, entry by entry. */
    private static HostMatrix[][] chunkDerivatives(DecayDerivatives d, int chunk) {
        HostMatrix[][] out = new HostMatrix[2][];
        for (int by = 0; by < 2; by++) {
            double[] dh = by == 0 ? d.kernelByAlpha() : d.kernelByBeta();
            float[] responses = new float[(chunk + 2) * chunk];
            float[] correction = new float[chunk * 2];
            for (int i = 0; i < chunk; i++) {
                for (int j = 0; j <= i; j++) {
                    responses[i * chunk + j] = (float) dh[i - j];
                }
                responses[chunk * chunk + i] = by == 0 ? (float) d.powerByBase(d.alpha(), chunk - 1 - i) : 0f;
                responses[(chunk + 1) * chunk + i] = (float) dh[chunk - 1 - i];
                correction[i * 2] = by == 0 ? 0f : (float) d.powerByBase(d.beta(), i + 1);
                correction[i * 2 + 1] = (float) d.synapticResponseBy(by, i);
            }
            out[by] = new HostMatrix[] {
                new HostMatrix(responses, new Shape(chunk + 2, chunk)), new HostMatrix(correction, new Shape(chunk, 2))
            };
        }
        return out;
    }

    /**
     * N x N strictly causal maps from chunk-end values to the state entering chunk n (as left
     * factors: in[n] = sum_m A[n][m] * end[m]): [0] syn from syn, [1] mem from mem, [2] mem from
     * syn, with k = n-1-m whole chunks of free decay in between.
     */
    private static HostMatrix[] carryMatrices(Decay decay, int chunk, int chunks) {
        double[] g = synapticResponse(decay, chunk * Math.max(chunks, 1));
        float[][] maps = new float[3][chunks * chunks];
        for (int n = 0; n < chunks; n++) {
            for (int m = 0; m < n; m++) {
                int k = n - 1 - m;
                maps[0][n * chunks + m] = (float) Math.pow(decay.alpha(), (double) chunk * k);
                maps[1][n * chunks + m] = (float) Math.pow(decay.beta(), (double) chunk * k);
                maps[2][n * chunks + m] = k == 0 ? 0f : (float) g[chunk * k - 1];
            }
        }
        Shape square = new Shape(chunks, chunks);
        return new HostMatrix[] {
            new HostMatrix(maps[0], square), new HostMatrix(maps[1], square), new HostMatrix(maps[2], square)
        };
    }

    /** d/dalpha ([0]) and d/dbeta ([1]) of {@link #carryMatrices}. */
    private static HostMatrix[][] carryDerivatives(DecayDerivatives d, int chunk, int chunks) {
        HostMatrix[][] out = new HostMatrix[2][];
        Shape square = new Shape(chunks, chunks);
        for (int by = 0; by < 2; by++) {
            float[][] maps = new float[3][chunks * chunks];
            for (int n = 0; n < chunks; n++) {
                for (int m = 0; m < n; m++) {
                    int k = n - 1 - m;
                    maps[0][n * chunks + m] = by == 0 ? (float) d.powerByBase(d.alpha(), chunk * k) : 0f;
                    maps[1][n * chunks + m] = by == 1 ? (float) d.powerByBase(d.beta(), chunk * k) : 0f;
                    maps[2][n * chunks + m] = k == 0 ? 0f : (float) d.synapticResponseBy(by, chunk * k - 1);
                }
            }
            out[by] = new HostMatrix[] {
                new HostMatrix(maps[0], square), new HostMatrix(maps[1], square), new HostMatrix(maps[2], square)
            };
        }
        return out;
    }

    /** g[i]: membrane after i+1 free steps from syn = 1, mem = 0 (double precision). */
    private static double[] synapticResponse(Decay decay, int length) {
        double[] g = new double[length];
        double syn = 1;
        double mem = 0;
        for (int i = 0; i < length; i++) {
            syn *= decay.alpha();
            mem = decay.beta() * mem + (1 - (double) decay.beta()) * syn;
            g[i] = mem;
        }
        return g;
    }
}
