package spsn.train;

import spsn.io.StateDict;

/**
 * Where a run stands: its identity (run id, effective seed), fixed when it starts, and its
 * progress, which a checkpoint saves and a resumed run continues from.
 */
public final class RunState {

    private final long runId;
    private final long seed;
    private final RunHistory history;
    private int epochsDone;
    private EpochProgress epoch = EpochProgress.START;
    private String partialResults;
    private int bestEpoch;
    private StateDict bestParameters;

    public RunState(long runId, long seed, RunHistory history) {
        this.runId = runId;
        this.seed = seed;
        this.history = history;
    }

    /** Unix seconds when the run started (moved forward past names already taken); names its files. */
    public long runId() {
        return runId;
    }

    /** The seed every random stream derives from: --seed, or the one drawn for an unseeded run. */
    public long seed() {
        return seed;
    }

    public RunHistory history() {
        return history;
    }

    /** Epochs fully trained. */
    public int epochsDone() {
        return epochsDone;
    }

    /** Progress within epoch {@link #epochsDone()} (START at an epoch boundary). */
    public EpochProgress epoch() {
        return epoch;
    }

    /** File name of the partial results this run wrote when interrupted, or null. */
    public String partialResults() {
        return partialResults;
    }

    void at(int epochsDone, EpochProgress epoch) {
        this.epochsDone = epochsDone;
        this.epoch = epoch;
    }

    void partialResults(String name) {
        this.partialResults = name;
    }

    /** The epoch whose parameters --select best keeps (1-based; 0: none yet). */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The parameters after {@link #bestEpoch()}, by state_dict key (null when none). */
    public StateDict bestParameters() {
        return bestParameters;
    }

    void keepBest(int epoch, StateDict parameters) {
        this.bestEpoch = epoch;
        this.bestParameters = parameters;
    }

    /** "3 epochs done", or "3 epochs and 5 of 12 batches of epoch 4 done" within an epoch. */
    public String describe() {
        String epochs = epochsDone + (epochsDone == 1 ? " epoch" : " epochs");
        if (epoch.nextBatch() == 0) {
            return epochs + " done";
        }
        return epochs + " and " + epoch.nextBatch() + " of " + epoch.batches() + " batches of epoch "
                + (epochsDone + 1) + " done";
    }
}
