package spsn.sweep;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import spsn.SpsnException;

/** Parses {@code --seeds}: ranges and single seeds, comma-separated ({@code 0-4}, {@code 0,2,5-7}). */
final class SeedList {

    private static final int MOST = 10_000;

    private SeedList() {
    }

    static List<Long> parse(String text) {
        Set<Long> seeds = new LinkedHashSet<>();
        for (String part : text.split(",", -1)) {
            String p = part.strip();
            try {
                int dash = p.indexOf('-', 1);
                if (dash > 0) {
                    long from = Long.parseLong(p.substring(0, dash).strip());
                    long to = Long.parseLong(p.substring(dash + 1).strip());
                    if (to < from || to - from >= MOST) {
                        throw bad(text, "range " + p + " must go upwards and hold at most " + MOST + " seeds");
                    }
                    for (long s = from; s <= to; s++) {
                        seeds.add(s);
                    }
                } else {
                    seeds.add(Long.parseLong(p));
                }
            } catch (NumberFormatException e) {
                throw bad(text, "'" + p + "' is not a seed or a range such as 0-4");
            }
        }
        return new ArrayList<>(seeds);
    }

    private static SpsnException bad(String text, String what) {
        return SpsnException.usage("--seeds " + text + ": " + what);
    }
}
