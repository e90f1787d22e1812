package spsn.sweep;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import spsn.SpsnException;

/**
 * A sweep's grid: flags fixed for every run, and named axes whose values are combined in every
 * way (the first axis varies slowest). An axis value is either one value of the flag the axis
 * is named after ({@code seed: [0, 1]}) or a labelled bundle of flags (the paper's ten
 * configurations are one such axis, as they are not a product of neuron and setting).
 */
record Grid(List<Flag> fixed, List<Axis> axes) {

    /** A named axis and its values. */
    record Axis(String name, List<Value> values) {
    }

    /** One value of an axis: a label for run keys and the flags it sets. */
    record Value(String label, List<Flag> flags) {
    }

    /** A grid with one more axis, the seeds, varied fastest. */
    Grid withSeeds(List<Long> seeds, String source) {
        for (Axis axis : axes) {
            if (axis.name().equals("seed") || axis.values().stream().anyMatch(v -> sets(v.flags(), "seed"))) {
                throw SpsnException.usage("--seeds: " + source + " already varies the seed (axis " + axis.name()
                        + "); give the seeds in one place");
            }
        }
        List<Value> values = seeds.stream()
                .map(s -> new Value("seed-" + s, List.of(new Flag("seed", Long.toString(s))))).toList();
        List<Axis> more = new ArrayList<>(axes);
        more.add(new Axis("seed", values));
        return new Grid(fixed, more);
    }

    /**
     * Every run of the grid, each with the fixed flags, its axis values, then {@code extra} (the
     * flags after {@code --}, which override fixed ones but may not change an axis).
     */
    List<GridPoint> points(List<Flag> extra) {
        Set<String> varied = new HashSet<>();
        for (Axis axis : axes) {
            if (axis.values().isEmpty()) {
                throw SpsnException.usage("grid axis " + axis.name() + " has no values");
            }
            for (Value value : axis.values()) {
                value.flags().forEach(f -> varied.add(f.name()));
            }
        }
        for (Flag flag : extra) {
            if (varied.contains(flag.name())) {
                throw SpsnException.usage(flag.option() + " after -- would give every run the same value, but the grid"
                        + " varies it; remove it from the grid or from the flags after --");
            }
        }
        for (Flag flag : fixed) {
            if (varied.contains(flag.name())) {
                throw SpsnException.usage("grid flag " + flag.name() + " is both fixed and varied by an axis; keep one");
            }
        }
        List<GridPoint> points = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        int total = 1;
        for (Axis axis : axes) {
            total = Math.multiplyExact(total, axis.values().size());
        }
        for (int index = 0; index < total; index++) {
            int rest = index;
            List<Value> chosen = new ArrayList<>();
            for (int a = axes.size() - 1; a >= 0; a--) {
                List<Value> values = axes.get(a).values();
                chosen.add(0, values.get(rest % values.size()));
                rest /= values.size();
            }
            Map<String, String> flags = new LinkedHashMap<>();
            fixed.forEach(f -> flags.put(f.name(), f.value()));
            List<String> labels = new ArrayList<>();
            for (Value value : chosen) {
                labels.add(value.label());
                value.flags().forEach(f -> flags.put(f.name(), f.value()));
            }
            extra.forEach(f -> {
                flags.remove(f.name()); // keep the command line's order: the override comes last
                flags.put(f.name(), f.value());
            });
            String key = labels.isEmpty() ? "run" : safeKey(String.join("_", labels));
            if (!keys.add(key)) {
                throw SpsnException.usage("two runs of the grid would both be named " + key
                        + "; give the axis values distinct names");
            }
            List<String> args = new ArrayList<>();
            flags.forEach((name, value) -> {
                args.add("--" + name);
                if (value != null) {
                    args.add(value);
                }
            });
            points.add(new GridPoint(index, key, List.copyOf(args)));
        }
        return points;
    }

    private static boolean sets(List<Flag> flags, String name) {
        return flags.stream().anyMatch(f -> f.name().equals(name));
    }

    /** A run key that is a safe folder name on every system. */
    static String safeKey(String label) {
        String key = label.replaceAll("[^A-Za-z0-9._+=-]", "-");
        return key.startsWith(".") ? "_" + key : key;
    }
}
