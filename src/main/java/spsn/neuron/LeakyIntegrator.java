package spsn.neuron;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The two leaky integrations of a neuron without reset, computed for all steps at once as a
 * causal convolution {@code mem = h * X} (see {@link Decay#kernel}), by one of two methods:
 * <ul>
 *   <li>{@link Method#CHUNKED} (default): block matrix products, see {@link ChunkedScan};</li>
 *   <li>{@link Method#FFT}: FFTs of a length of at least 2T, so that the convolution is linear.
 *       Unlike the original, whose three-way product of length-2T FFTs wraps around for short T,
 *       no later input leaks into an earlier output.</li>
 * </ul>
 * What depends only on T and the time constants (kernel spectra, chunk matrices) is computed once
 * and kept in this integrator's own manager until {@link #close()}.
 */
public final class LeakyIntegrator implements AutoCloseable {

    /** Chunk length of the {@link Method#CHUNKED} method (see ChunkedScan). */
    public static final int CHUNK = ChunkedScan.CHUNK;

    /** How the convolution is computed; both give the recurrence's values. */
    public enum Method { CHUNKED, FFT }

    private final Decay decay;
    private final Method method;
    private final NDManager cacheManager;
    private final ChunkedScan chunked;
    private final Map<Integer, NDArray> spectra = new ConcurrentHashMap<>();

    public LeakyIntegrator(Decay decay, NDManager parent) {
        this(decay, parent, Method.CHUNKED);
    }

    public LeakyIntegrator(Decay decay, NDManager parent, Method method) {
        this.decay = decay;
        this.method = method;
        this.cacheManager = parent.newSubManager();
        this.chunked = new ChunkedScan(decay, cacheManager);
    }

    public Decay decay() {
        return decay;
    }

    /** Membrane potential for input currents {@code x} of shape [B, T, H]. */
    public NDArray integrate(NDArray x) {
        try (NDArray timeMajor = x.transpose(1, 0, 2); NDArray mem = integrateTimeMajor(timeMajor)) {
            return mem.transpose(1, 0, 2);
        }
    }

    /** Membrane potential for input currents whose first axis is time ([T, ...]). */
    public NDArray integrateTimeMajor(NDArray x) {
        return method == Method.CHUNKED ? chunked.integrateTimeMajor(x) : integrateByFft(x);
    }

    /**
     * The same, computed by the Java recurrence when {@code tape} is given (see
     * RecurrentIntegration: {@code tape.backward} must then follow the loss's backward pass), by
     * the engine otherwise.
     */
    public NDArray integrateTimeMajor(NDArray x, BackwardTape tape) {
        return tape == null ? integrateTimeMajor(x) : RecurrentIntegration.integrate(x, decay, tape);
    }

    /**
     * Membrane potential for currents [T, ..., H] with decay factors given as tensors, in the
     * autograd graph when they learn (the gradient then reaches them, see ChunkedScan): 0-d (one
     * pair for the layer) or [H] (one pair per neuron of the last axis, ParaLIF's list form).
     * This integrator's own decay is not used.
     *
     * <p>Per-neuron decays are where a per-column integration enters: here each neuron is
     * integrated alone with its own 0-d pair and the columns stacked back, which reuses the
     * (tested) scalar scan at the cost of H small scans instead of one; an integration that takes
     * a decay per column takes the [H] tensors directly.
     */
    public static NDArray integrateTimeMajor(NDArray x, NDArray alpha, NDArray beta) {
        if (alpha.getShape().dimension() == 0 && beta.getShape().dimension() == 0) {
            return ChunkedScan.integrateTimeMajor(x, alpha, beta);
        }
        long neurons = x.getShape().get(x.getShape().dimension() - 1);
        if (alpha.size() != neurons || beta.size() != neurons) {
            throw new IllegalArgumentException("per-neuron decays " + alpha.getShape() + ", " + beta.getShape()
                    + " for " + neurons + " neurons");
        }
        int last = x.getShape().dimension() - 1;
        try (TempArrays tmp = new TempArrays()) {
            NDList columns = new NDList();
            for (long h = 0; h < neurons; h++) {
                NDArray column = tmp.add(x.get(new NDIndex("..., {}", h)));
                NDArray a = tmp.add(alpha.get(h));
                NDArray b = tmp.add(beta.get(h));
                columns.add(tmp.add(ChunkedScan.integrateTimeMajor(column, a, b)));
            }
            NDArray out = NDArrays.stack(columns, last);
            out.attach(x.getManager());
            return out;
        }
    }

    /**
     * The same, by the Java recurrence when {@code tape} is given, where the factors may also be
     * one per neuron ([H], the last axis of x); by the engine otherwise.
     */
    public static NDArray integrateTimeMajor(NDArray x, NDArray alpha, NDArray beta, BackwardTape tape) {
        return tape == null ? integrateTimeMajor(x, alpha, beta) : RecurrentIntegration.integrate(x, alpha, beta, tape);
    }

    /**
     * The length to give the time axis of the arrays this integrator sees so that it works without
     * padding (the network pads its input once instead of every layer padding its own). The Java
     * recurrence needs none.
     */
    public int alignedLength(int steps) {
        return method == Method.CHUNKED ? ChunkedScan.alignedLength(steps) : steps;
    }

    private NDArray integrateByFft(NDArray x) {
        Shape shape = x.getShape();
        int steps = (int) shape.get(0);
        int n = fftLength(steps);
        try (TempArrays tmp = new TempArrays()) {
            NDArray spectrum = tmp.add(x.rfft(n, 0));
            // the kernel's spectrum along time, broadcast over the other axes
            long[] broadcast = new long[shape.dimension()];
            Arrays.fill(broadcast, 1);
            broadcast[0] = n / 2 + 1;
            NDArray product = tmp.add(spectrum.mul(tmp.add(kernelSpectrum(n).reshape(new Shape(broadcast)))));
            return tmp.add(product.irfft(n, 0)).get(new NDIndex(":" + steps));
        }
    }

    private NDArray kernelSpectrum(int n) {
        return spectra.computeIfAbsent(n, len -> {
            double[] h = decay.kernel(len / 2);
            float[] padded = new float[len];
            for (int i = 0; i < h.length; i++) {
                padded[i] = (float) h[i];
            }
            NDArray kernel = cacheManager.create(padded);
            NDArray spectrum = kernel.rfft(len, 0);
            kernel.close();
            return spectrum;
        });
    }

    /**
     * Smallest 5-smooth even number &ge; 2T: at least 2T so the circular convolution of a
     * length-T input with the length-n/2 kernel never wraps onto outputs 0..T-1; 5-smooth
     * because FFTs of such lengths are fast.
     */
    static int fftLength(int steps) {
        int n = Math.max(2, 2 * steps);
        while (!isFiveSmooth(n)) {
            n += 2;
        }
        return n;
    }

    private static boolean isFiveSmooth(int n) {
        for (int p : new int[] {2, 3, 5}) {
            while (n % p == 0) {
                n /= p;
            }
        }
        return n == 1;
    }

    @Override
    public void close() {
        spectra.clear();
        cacheManager.close();
    }
}
