package spsn.sweep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import spsn.SpsnException;
import spsn.cli.TrainingFlags;
import spsn.data.ShdFiles;
import spsn.train.RunSettings;

/**
 * Turns a grid and the flags after {@code --} into the sweep's runs, each checked by the training
 * command's own validation before anything starts, so that a bad value in run 17 does not wait
 * for runs 1-16 to be noticed.
 */
final class SweepPlan {

    /** The sweep gives each run its own folder and its own resumption; these are not run flags. */
    private static final Set<String> OWNED_BY_SWEEP = Set.of("output_dir", "resume");
    /** Relative paths are resolved where the sweep is started, as the runs may start elsewhere. */
    private static final Set<String> PATHS = Set.of("data_dir", "load_model");
    static final String RUNS_FOLDER = "runs";

    private SweepPlan() {
    }

    /** The flags after {@code --}, as pairs. */
    static List<Flag> parseExtra(List<String> tokens) {
        List<Flag> flags = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (!token.startsWith("--") || token.length() == 2) {
                throw SpsnException.usage("'" + token + "' after --: expected training flags such as --nb_epochs 50");
            }
            int eq = token.indexOf('=');
            if (eq > 0) {
                flags.add(new Flag(Flag.bare(token.substring(0, eq)), token.substring(eq + 1)));
            } else if (i + 1 < tokens.size() && !tokens.get(i + 1).startsWith("--")) {
                flags.add(new Flag(Flag.bare(token), tokens.get(++i)));
            } else {
                // a flag alone: --verbose, or a boolean in its store_true form (--save_model);
                // the training command's parser says whether it may stand alone
                flags.add(new Flag(Flag.bare(token), null));
            }
        }
        return flags;
    }

    /** Every run of {@code grid} with {@code extra}, validated; {@code sweepDir} is absolute. */
    static List<GridPoint> plan(Grid grid, List<Flag> extra, Path sweepDir) {
        List<Flag> all = new ArrayList<>(grid.fixed());
        all.addAll(extra);
        grid.axes().forEach(a -> a.values().forEach(v -> all.addAll(v.flags())));
        for (Flag flag : all) {
            if (OWNED_BY_SWEEP.contains(flag.name())) {
                throw SpsnException.usage("--" + flag.name() + " cannot be a run flag: the sweep gives every run its"
                        + " own folder under the sweep's --output_dir and resumes it itself");
            }
        }
        List<GridPoint> points = new ArrayList<>();
        for (GridPoint point : grid.points(extra)) {
            List<String> flags = withDefaults(absolutePaths(point.flags()));
            RunSettings settings;
            try {
                settings = TrainingFlags.check(withOutputDir(flags, sweepDir, point.key()));
            } catch (SpsnException e) {
                throw new SpsnException(e.exitCode(), "run " + point.key() + " (" + String.join(" ", flags) + "): "
                        + e.getMessage());
            }
            if (settings.data().dataset().equals("heidelberg")) {
                for (String name : List.of(ShdFiles.TRAIN_FILE, ShdFiles.TEST_FILE)) {
                    if (!Files.isRegularFile(settings.data().dataDir().resolve(name))) {
                        throw SpsnException.data("run " + point.key() + ": " + settings.data().dataDir().resolve(name)
                                + " not found; give --data_dir (after --) where every run can read the SHD files,"
                                + " or --dataset synthetic");
                    }
                }
            }
            points.add(new GridPoint(point.index(), point.key(), flags));
        }
        if (points.isEmpty()) {
            throw SpsnException.usage("the grid has no runs");
        }
        return points;
    }

    /** A run's complete command line: its flags and its folder. */
    static List<String> withOutputDir(List<String> flags, Path sweepDir, String key) {
        List<String> args = new ArrayList<>(flags);
        args.add("--output_dir");
        args.add(runFolder(sweepDir, key).toString());
        return args;
    }

    static Path runFolder(Path sweepDir, String key) {
        return sweepDir.resolve(RUNS_FOLDER).resolve(key);
    }

    /** Runs write to log files: no progress bars unless asked for. */
    private static List<String> withDefaults(List<String> flags) {
        if (flags.contains("--progress")) {
            return flags;
        }
        List<String> more = new ArrayList<>(flags);
        more.add("--progress");
        more.add("False");
        return List.copyOf(more);
    }

    private static List<String> absolutePaths(List<String> args) {
        List<String> out = new ArrayList<>(args);
        for (int i = 0; i + 1 < out.size(); i++) {
            if (out.get(i).startsWith("--") && PATHS.contains(out.get(i).substring(2))) {
                out.set(i + 1, Path.of(out.get(i + 1)).toAbsolutePath().normalize().toString());
            }
        }
        return List.copyOf(out);
    }
}
