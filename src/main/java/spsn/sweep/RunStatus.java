package spsn.sweep;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where one run of a sweep stands. */
enum RunStatus {
    /** Not started, nor submitted. */
    @JsonProperty("pending") PENDING,
    /** Submitted to Slurm, waiting for a node. */
    @JsonProperty("queued") QUEUED,
    @JsonProperty("running") RUNNING,
    /** Final results written. */
    @JsonProperty("done") DONE,
    /** Stopped (signal, time limit, cancelled, killed) before its results: resumable from its checkpoint. */
    @JsonProperty("stopped") STOPPED,
    /** Ended with an error (bad data, diverged loss...): see its log; resuming retries it. */
    @JsonProperty("failed") FAILED;

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    boolean finished() {
        return this == DONE;
    }

    boolean active() {
        return this == QUEUED || this == RUNNING;
    }
}
