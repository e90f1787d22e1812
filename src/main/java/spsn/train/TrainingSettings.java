package spsn.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How the network learns: one group of {@link RunSettings}.
 *
 * @param seed null for an unseeded run (one is drawn and written to the results)
 * @param regThr spike-rate regularisation threshold (0: off)
 * @param regThrR the same for the recurrent spike rates (ParaLIF's --reg_thr_r)
 * @param lr Adamax's learning rate
 * @param weightDecay Adamax's weight decay (L2)
 * @param bestConfig ParaLIF's --best_config was given (its effect is already in the other settings)
 * @param testEvery also test every this many epochs (0: only after training)
 * @param device "auto", "cpu" or "gpu"
 */
public record TrainingSettings(
        @JsonProperty("seed") Long seed,
        @JsonProperty("nb_epochs") int nbEpochs,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("loss_mode") LossMode lossMode,
        @JsonProperty("reg_thr") double regThr,
        @JsonProperty("reg_thr_r") double regThrR,
        @JsonProperty("lr") double lr,
        @JsonProperty("weight_decay") double weightDecay,
        @JsonProperty("best_config") boolean bestConfig,
        @JsonProperty("test_every") int testEvery,
        @JsonProperty("device") String device) {

    /** The defaults of {@code spsn}'s flags. */
    public static final TrainingSettings DEFAULT = new TrainingSettings(null, 200, 64, LossMode.MEAN, 0.0, 0.0, 1e-3,
            0.0, false, 0, "auto");
}
