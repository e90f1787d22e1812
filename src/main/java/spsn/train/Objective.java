package spsn.train;

import ai.djl.ndarray.NDArray;
import spsn.model.ForwardResult;
import spsn.model.NetworkConfig;

/**
 * What training minimises: the cross-entropy of the output reduced over time by {@code mode},
 * plus SPSN's rate regulariser ({@code regThr} &gt; 0) and ParaLIF's regulariser of the recurrent
 * states' rates ({@code regThrR} &gt; 0). Testing and validation report the cross-entropy alone.
 */
public record Objective(LossMode mode, double regThr, double regThrR) {

    /** The cross-entropy of {@code mode}, no regulariser (what the bench trains with). */
    public static Objective crossEntropy(LossMode mode) {
        return new Objective(mode, 0, 0);
    }

    /** The pass's output reduced over time, [B, C], the cheapest way (see {@link Losses#logits}). */
    NDArray logits(ForwardResult result) {
        return Losses.logits(result, mode);
    }

    /**
     * The training loss of a pass whose logits are {@code logits}: the cross-entropy, then each
     * regulariser that is on, added in ParaLIF's order. Both regularisers count every firing
     * neuron of the network (hidden layers × hidden size), as ParaLIF's run.py does.
     */
    NDArray loss(ForwardResult result, NDArray logits, NDArray labels, NetworkConfig config) {
        NDArray loss = Losses.crossEntropy(logits, labels);
        if (regThr > 0) {
            loss = loss.add(Losses.rateRegularizer(result.rates(), regThr));
        }
        if (regThrR > 0) {
            long neurons = (long) config.nbLayers() * config.hiddenSize();
            loss = loss.add(Losses.recurrentRateRegularizer(result.recurrentRates(), regThrR, neurons, loss));
        }
        return loss;
    }
}
