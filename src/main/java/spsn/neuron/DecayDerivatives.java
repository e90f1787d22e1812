package spsn.neuron;

/**
 * Derivatives with respect to alpha and beta of the quantities the integration's matrices are
 * made of (see ChunkedScan), in double precision, by running the recurrence of
 * {@link Decay#kernel} forward in both directions at once (forward-mode differentiation):
 * syn_n = alpha syn_{n-1} + [n = 0], h_n = beta h_{n-1} + (1 - beta) syn_n, and g[i] = alpha h[i],
 * the membrane after i+1 free steps from a unit synaptic current.
 */
final class DecayDerivatives {

    private final double alpha;
    private final double beta;
    private final double[] kernel;
    private final double[] kernelByAlpha;
    private final double[] kernelByBeta;

    DecayDerivatives(Decay decay, int length) {
        this.alpha = decay.alpha();
        this.beta = decay.beta();
        kernel = new double[length];
        kernelByAlpha = new double[length];
        kernelByBeta = new double[length];
        double syn = 0;
        double synByAlpha = 0;
        double mem = 0;
        double memByAlpha = 0;
        double memByBeta = 0;
        for (int n = 0; n < length; n++) {
            synByAlpha = syn + alpha * synByAlpha;
            syn = alpha * syn + (n == 0 ? 1 : 0);
            memByAlpha = beta * memByAlpha + (1 - beta) * synByAlpha;
            memByBeta = mem + beta * memByBeta - syn;
            mem = beta * mem + (1 - beta) * syn;
            kernel[n] = mem;
            kernelByAlpha[n] = memByAlpha;
            kernelByBeta[n] = memByBeta;
        }
    }

    double alpha() {
        return alpha;
    }

    double beta() {
        return beta;
    }

    double[] kernelByAlpha() {
        return kernelByAlpha;
    }

    double[] kernelByBeta() {
        return kernelByBeta;
    }

    /** d/dbase of base^exponent. */
    double powerByBase(double base, int exponent) {
        return exponent == 0 ? 0 : exponent * Math.pow(base, exponent - 1);
    }

    /** d g[i] / d alpha ({@code by} 0) or d beta ({@code by} 1), with g[i] = alpha h[i]. */
    double synapticResponseBy(int by, int i) {
        return by == 0 ? kernel[i] + alpha * kernelByAlpha[i] : alpha * kernelByBeta[i];
    }
}
