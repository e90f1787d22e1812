package spsn.sweep;

import java.util.List;

/**
 * One run of a sweep: its position in the grid, a key that names it (and its folder) and the
 * training flags that define it, in the order the command line takes them.
 */
record GridPoint(int index, String key, List<String> flags) {
}
