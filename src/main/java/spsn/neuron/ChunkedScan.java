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
 * time loop). Time is cut into N chunks of C steps:
 * <ol>
 *   <li>inside each chunk, one product with a C x C matrix gives the zero-state response of
 *       every step (lower-triangular Toeplitz of h), and one with a C x 2 matrix the chunk's final
 *       synaptic current and membrane;</li>
 *   <li>the state (syn, mem) entering each chunk is a causal sum over earlier chunks, three
 *       N x N products with the closed-form decays between chunk ends;</li>
 *   <li>that entering state adds beta^(i+1)*mem + g[i]*syn to step i of the chunk (a rank-2
 *       correction), g being the membrane response to a unit synaptic current.</li>
 * </ol>
 * About T*(C+3) multiply-adds per neuron instead of FFTs of length 2T, and no large complex
 * temporaries. Equal to the sequential recurrence up to float32 rounding.
 */
final class ChunkedScan {

    /** Chunk length: long enough for few chunks, short enough that T*C stays small. */
    static final int CHUNK = 64;

    private final Decay decay;
    private final NDManager cacheManager;
    private final Map<Integer, NDArray[]> chunkMatrices = new ConcurrentHashMap<>();
    private final Map<Long, NDArray[]> carryMatrices = new ConcurrentHashMap<>();

    ChunkedScan(Decay decay, NDManager cacheManager) {
        this.decay = decay;
        this.cacheManager = cacheManager;
    }

    /** Membrane for currents [..., T] (time last); same shape out. */
    NDArray integrateTimeLast(NDArray x) {
        Shape shape = x.getShape();
        int axis = shape.dimension() - 1;
        int steps = (int) shape.get(axis);
        long rows = shape.size() / steps;
        int chunk = Math.min(CHUNK, steps);
        int chunks = (steps + chunk - 1) / chunk;
        NDArray[] within = chunkMatrices.computeIfAbsent(chunk, this::buildChunkMatrices);
        NDArray[] across = carryMatrices.computeIfAbsent(((long) chunk << 32) | chunks,
                key -> buildCarryMatrices(chunk, chunks));

        try (TempArrays tmp = new TempArrays()) {
            NDArray padded = steps == chunk * chunks ? x
                    : tmp.add(x.pad(new Shape(0, (long) chunk * chunks - steps), 0));
            NDArray chunked = tmp.add(padded.reshape(rows * chunks, chunk));
            // [rows*N, C] x [C, C]: zero-state response of every step of each chunk
            NDArray response = tmp.add(chunked.matMul(within[0]));
            // [rows*N, C] x [C, 2]: each chunk's final synaptic current and membrane, separately so
            // that no slice of the large product is needed (a slice's backward is a full-size copy)
            NDArray ends = tmp.add(chunked.matMul(within[2]));
            NDArray synEnd = tmp.add(tmp.add(ends.get(new NDIndex(":, 0"))).reshape(rows, chunks));
            NDArray memEnd = tmp.add(tmp.add(ends.get(new NDIndex(":, 1"))).reshape(rows, chunks));
            // state entering each chunk: causal sums over earlier chunks
            NDArray synIn = tmp.add(synEnd.matMul(across[0]));
            NDArray memIn = tmp.add(tmp.add(memEnd.matMul(across[1])).add(tmp.add(synEnd.matMul(across[2]))));
            NDArray entering = tmp.add(tmp.add(NDArrays.stack(new NDList(memIn, synIn), 2)).reshape(rows * chunks, 2));
            NDArray mem = tmp.add(response.add(tmp.add(entering.matMul(within[1]))));
            NDArray out = mem.reshape(shape.slice(0, axis).add(chunk * chunks));
            if (steps == chunk * chunks) {
                return out;
            }
            return tmp.add(out).get(new NDIndex("..., :" + steps));
        }
    }

    /**
     * [0]: C x C, the Toeplitz of h (out[i] = sum_{j<=i} h[i-j] x[j]). [1]: 2 x C, the response of
     * step i to the entering state: row 0 beta^(i+1) (membrane), row 1 g[i] (synaptic current).
     * [2]: C x 2, the chunk's final synaptic current (alpha^(C-1-j)) and membrane (h[C-1-j]).
     */
    private NDArray[] buildChunkMatrices(int chunk) {
        double[] h = decay.kernel(chunk);
        double[] g = synapticResponse(chunk);
        float[] toeplitz = new float[chunk * chunk];
        float[] ends = new float[chunk * 2];
        for (int j = 0; j < chunk; j++) {
            for (int i = j; i < chunk; i++) {
                toeplitz[j * chunk + i] = (float) h[i - j];
            }
            ends[j * 2] = (float) Math.pow(decay.alpha(), chunk - 1 - j);
            ends[j * 2 + 1] = (float) h[chunk - 1 - j];
        }
        float[] correction = new float[2 * chunk];
        for (int i = 0; i < chunk; i++) {
            correction[i] = (float) Math.pow(decay.beta(), i + 1);
            correction[chunk + i] = (float) g[i];
        }
        return new NDArray[] {
            cacheManager.create(toeplitz, new Shape(chunk, chunk)),
            cacheManager.create(correction, new Shape(2, chunk)),
            cacheManager.create(ends, new Shape(chunk, 2))
        };
    }

    /**
     * N x N strictly causal maps from chunk-end values to the state entering chunk n (as right
     * factors: in[n] = sum_m end[m] * A[m][n]): [0] syn from syn, [1] mem from mem, [2] mem from
     * syn, with k = n-1-m whole chunks of free decay in between.
     */
    private NDArray[] buildCarryMatrices(int chunk, int chunks) {
        double[] g = synapticResponse(chunk * Math.max(chunks, 1));
        float[][] maps = new float[3][chunks * chunks];
        for (int m = 0; m < chunks; m++) {
            for (int n = m + 1; n < chunks; n++) {
                int k = n - 1 - m;
                maps[0][m * chunks + n] = (float) Math.pow(decay.alpha(), (double) chunk * k);
                maps[1][m * chunks + n] = (float) Math.pow(decay.beta(), (double) chunk * k);
                maps[2][m * chunks + n] = k == 0 ? 0f : (float) g[chunk * k - 1];
            }
        }
        Shape square = new Shape(chunks, chunks);
        return new NDArray[] {
            cacheManager.create(maps[0], square), cacheManager.create(maps[1], square),
            cacheManager.create(maps[2], square)
        };
    }

    /** g[i]: membrane after i+1 free steps from syn = 1, mem = 0 (double precision). */
    private double[] synapticResponse(int length) {
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
