package spsn.engine;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The environment of the tuned child JVM (spsn.cli.TunedRelaunch), undone for the processes it
 * starts itself: a sweep's runs, locally or through Slurm's {@code sbatch}, which passes the
 * submitting environment on to jobs on other nodes. Each run tunes itself there; it must not
 * inherit this machine's tuning as if the user had set it (an {@code LD_PRELOAD} of a jemalloc
 * that another node may not have would print a loader error in every process and stop that node
 * from tuning its own malloc). The relaunch records the user's values of what it sets, and
 * {@link #restoreUntuned} puts them back.
 */
public final class TunedEnvironment {

    /** Marks the tuned child (its value is irrelevant). */
    public static final String CHILD = "SPSN_TUNED_CHILD";
    /**
     * The user's values of the variables the relaunch changed: lines "NAME=value" (backslashes and
     * newlines escaped), or "NAME" where it was unset.
     */
    public static final String UNTUNED = "SPSN_UNTUNED";

    private TunedEnvironment() {
    }

    /**
     * Records, in the child's {@code environment}, the {@code user}'s values of every variable
     * changed from theirs, for the processes the child starts ({@link #restoreUntuned}).
     */
    public static void recordUntuned(Map<String, String> user, Map<String, String> environment) {
        Set<String> changed = new HashSet<>();
        environment.forEach((name, value) -> {
            if (!value.equals(user.get(name))) {
                changed.add(name);
            }
        });
        user.keySet().stream().filter(name -> !environment.containsKey(name)).forEach(changed::add);
        changed.remove(CHILD);
        environment.put(UNTUNED, record(user, changed));
    }

    /** The {@link #UNTUNED} value that records {@code original}'s values of {@code names}. */
    private static String record(Map<String, String> original, Set<String> names) {
        StringBuilder out = new StringBuilder();
        for (String name : new TreeSet<>(names)) {
            String value = original.get(name);
            out.append(name);
            if (value != null) {
                out.append('=').append(value.replace("\\", "\\\\").replace("\n", "\\n"));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * Gives {@code env}, a copy of the tuned child's environment for a process it starts, the
     * user's values back: the recorded variables restored or removed, the markers removed.
     */
    public static void restoreUntuned(Map<String, String> env) {
        String recorded = env.remove(UNTUNED);
        env.remove(CHILD);
        if (recorded == null) {
            return;
        }
        for (String line : recorded.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals < 0) {
                env.remove(line);
            } else {
                env.put(line.substring(0, equals), unescape(line.substring(equals + 1)));
            }
        }
    }

    private static String unescape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                char next = value.charAt(++i);
                out.append(next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
