package spsn.sweep;

import java.util.List;

/** One run's entry in the manifest: what it is (key, flags, folder) and where it stands. */
final class SweepRun {

    public int index;
    public String key;
    /** The training flags, without --output_dir (the folder below, inside the sweep's folder). */
    public List<String> flags;
    /** The run's --output_dir, relative to the sweep's folder. */
    public String folder;
    public RunStatus state = RunStatus.PENDING;
    /** The final results file, relative to the sweep's folder, once done. */
    public String results;
    public Integer exitCode;
    public int attempts;
    /** Slurm job id of the last submission ({@code 123_4}), or the local process id. */
    public String job;
    public String host;
    /** The task's log, relative to the sweep's folder (appended to by every attempt). */
    public String log;
    public String updated;
    /** A short word on the state (e.g. Slurm's CANCELLED, TIMEOUT). */
    public String note;

    SweepRun() {
    }

    SweepRun(GridPoint point) {
        this.index = point.index();
        this.key = point.key();
        this.flags = point.flags();
        this.folder = SweepPlan.RUNS_FOLDER + "/" + point.key();
        this.log = Manifest.LOGS + "/task-" + point.index() + ".log";
    }
}
