package spsn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import spsn.model.ForwardResult;

import java.util.List;

/** The training objective: cross-entropy on the time-reduced output, plus the rate regulariser. */
public final class Losses {

    private Losses() {
    }

    /** Reduces output [B, T, C] over time to logits [B, C]. */
    public static NDArray reduceOverTime(NDArray output, LossMode mode) {
        return switch (mode) {
            case LAST -> output.get(new NDIndex(":, -1, :"));
            case MAX -> output.max(new int[] {1});
            case MEAN -> output.mean(new int[] {1});
            case CUMSUM -> {
                try (NDArray probabilities = output.softmax(2)) {
                    yield probabilities.sum(new int[] {1});
                }
            }
        };
    }

    /**
     * A pass's output reduced over time, [B, C], the cheapest way: the mean and the last step come
     * straight from the output layer's inputs (see ForwardResult), the max needs every step.
     */
    public static NDArray logits(ForwardResult result, LossMode mode) {
        return switch (mode) {
            case LAST -> result.lastStep();
            case MAX, CUMSUM -> reduceOverTime(result.output(), mode);
            case MEAN -> result.meanOverTime();
        };
    }

    /** Cross-entropy of output [B, T, C] reduced over time by {@code mode}. */
    public static NDArray crossEntropy(NDArray output, NDArray labels, LossMode mode) {
        return crossEntropy(reduceOverTime(output, mode), labels);
    }

    /** Mean over the batch of -log softmax(logits)[label] (PyTorch's F.cross_entropy), logits [B, C]. */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray logProbabilities = logits.logSoftmax(1);
        NDArray picked = logProbabilities.mul(labels.oneHot((int) logits.getShape().get(1))).sum(new int[] {1});
        return picked.mean().neg();
    }

    /**
     * relu(sum over layers and neurons of rate - regThr * N)^2 with N the number of firing
     * neurons: it pushes the total firing rate below the threshold.
     */
    public static NDArray rateRegularizer(List<NDArray> rates, double regThr) {
        NDArray all = NDArrays.concat(new NDList(rates.toArray(NDArray[]::new)));
        return rateRegularizer(all.sum(), regThr, all.getShape().size());
    }

    /**
     * ParaLIF's second term, relu(sum of the recurrent states' rates - regThrR * N)^2, N being the
     * number of firing neurons of the network (not only the recurrent ones), as ParaLIF's first term.
     * No recurrent rates (feed-forward, --recurrent_relu): a sum of zeros, as ParaLIF's buffers.
     */
    public static NDArray recurrentRateRegularizer(List<NDArray> recurrentRates, double regThrR, long firingNeurons,
                                                   NDArray like) {
        NDArray total = recurrentRates.isEmpty() ? like.getManager().create(0f)
                : NDArrays.concat(new NDList(recurrentRates.toArray(NDArray[]::new))).sum();
        return rateRegularizer(total, regThrR, firingNeurons);
    }

    private static NDArray rateRegularizer(NDArray total, double threshold, long neurons) {
        return total.sub((float) (threshold * neurons)).getNDArrayInternal().relu().square();
    }
}
