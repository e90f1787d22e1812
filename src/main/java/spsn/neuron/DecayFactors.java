package spsn.neuron;

import ai.djl.ndarray.NDArray;

/**
 * A layer's decay factors as the Java recurrence takes them: their values (one, or one per neuron
 * of the last axis), and the tensors they came from when they learn (then the recurrence's
 * gradients for them go on from there), else null.
 */
public record DecayFactors(float[] alpha, float[] beta, NDArray alphaTensor, NDArray betaTensor) {

    /** Fixed factors, the same for every neuron. */
    public static DecayFactors fixed(Decay decay) {
        return new DecayFactors(new float[] {decay.alpha()}, new float[] {decay.beta()}, null, null);
    }

    /** Fixed factors as tensors (0-d or one per neuron): their values only. */
    public static DecayFactors fixed(NDArray alpha, NDArray beta) {
        return new DecayFactors(alpha.toFloatArray(), beta.toFloatArray(), null, null);
    }

    /** Factors that learn: tensors in the graph (0-d or one per neuron), which get their gradients. */
    public static DecayFactors learning(NDArray alpha, NDArray beta) {
        return new DecayFactors(alpha.toFloatArray(), beta.toFloatArray(), alpha, beta);
    }

    boolean learns() {
        return alphaTensor != null;
    }
}
