package spsn.cli;

import spsn.SpsnException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The malloc that the tuned child JVM runs with, which is what serves the engine's tensors:
 * jemalloc where the system has it (Debian and Ubuntu: {@code apt-get install libjemalloc2}),
 * preloaded, else glibc's own, tuned. {@code SPSN_ALLOCATOR=jemalloc|glibc} chooses;
 * {@code auto}, the default, takes jemalloc when installed. An allocator the user already
 * preloads ({@code LD_PRELOAD} naming jemalloc, tcmalloc or mimalloc) is left as it is.
 *
 * <p>Why jemalloc: a training step frees and allocates the same few dozen activations of
 * ~35 MiB every batch, their sizes changing with each batch's length. glibc serves the training
 * thread from heaps of at most 64 MiB (one activation each, the rest filled by small tensors) and
 * cannot reuse a freed block for a slightly larger one, so its resident memory creeps up over an
 * epoch to ~2x the live peak; jemalloc's size classes reuse them. Both keep freed pages (no decay
 * to the system, no trimming: a page given back is a page fault in the next batch) and use
 * transparent huge pages, which fault a growing heap in 2 MiB at a time.
 */
final class NativeAllocator {

    /** The user's choice: auto, jemalloc or glibc. */
    static final String CHOICE = "SPSN_ALLOCATOR";
    static final String PRELOAD = "LD_PRELOAD";
    static final String JEMALLOC_CONF = "MALLOC_CONF";
    /** Never give freed pages back (decay off), huge pages for the extents. */
    static final String JEMALLOC_SETTINGS = "dirty_decay_ms:-1,muzzy_decay_ms:-1,thp:always";
    /** glibc: large blocks from the heap rather than fresh mmaps, never trimmed (see TunedRelaunch). */
    static final Map<String, String> GLIBC_SETTINGS = Map.of(
            "MALLOC_MMAP_MAX_", "0",
            "MALLOC_TRIM_THRESHOLD_", "68719476736",
            "MALLOC_TOP_PAD_", "268435456");
    private static final String TUNABLES = "GLIBC_TUNABLES";
    private static final String HUGE_PAGES = "glibc.malloc.hugetlb";
    private static final String JEMALLOC_FILE = "libjemalloc.so.2";
    private static final List<String> PRELOADED_ALLOCATORS = List.of("jemalloc", "tcmalloc", "mimalloc");

    /** Which allocator. */
    enum Kind { JEMALLOC, GLIBC, PRELOADED }

    private final Kind kind;
    private final Path library;

    private NativeAllocator(Kind kind, Path library) {
        this.kind = kind;
        this.library = library;
    }

    Kind kind() {
        return kind;
    }

    /**
     * The allocator for a child started from an environment {@code env}, jemalloc taken from the
     * first of {@code candidates} that exists; a usage error for an unknown choice, or for
     * jemalloc asked for and not installed.
     */
    static NativeAllocator choose(Map<String, String> env, List<Path> candidates) {
        String choice = env.getOrDefault(CHOICE, "auto").trim().toLowerCase(Locale.ROOT);
        if (!List.of("auto", "jemalloc", "glibc", "").contains(choice)) {
            throw SpsnException.usage(CHOICE + "=" + env.get(CHOICE)
                    + ": unknown allocator; use auto, jemalloc or glibc");
        }
        String preload = env.getOrDefault(PRELOAD, "");
        if (!choice.equals("glibc") && PRELOADED_ALLOCATORS.stream().anyMatch(preload::contains)) {
            return new NativeAllocator(Kind.PRELOADED, null);
        }
        Optional<Path> jemalloc = choice.equals("glibc") ? Optional.empty()
                : candidates.stream().filter(Files::isReadable).findFirst();
        if (jemalloc.isPresent()) {
            return new NativeAllocator(Kind.JEMALLOC, jemalloc.get());
        }
        if (choice.equals("jemalloc")) {
            throw SpsnException.usage(CHOICE + "=jemalloc: no " + JEMALLOC_FILE + " in " + candidates
                    + "; install it (apt-get install libjemalloc2) or unset " + CHOICE);
        }
        return new NativeAllocator(Kind.GLIBC, null);
    }

    /** Where Debian, Ubuntu, Fedora and a local build put jemalloc, for this machine's architecture. */
    static List<Path> installedLocations() {
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        return List.of("/usr/lib/" + arch + "-linux-gnu", "/lib/" + arch + "-linux-gnu", "/usr/lib64", "/usr/lib",
                "/usr/local/lib").stream().map(folder -> Path.of(folder, JEMALLOC_FILE)).toList();
    }

    /**
     * The variables the child needs, given the parent's environment {@code env} (the user's own
     * settings for the allocator win: their MALLOC_CONF, their glibc.malloc.hugetlb).
     */
    Map<String, String> childEnvironment(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        switch (kind) {
            case JEMALLOC -> {
                String preload = env.getOrDefault(PRELOAD, "");
                out.put(PRELOAD, preload.isEmpty() ? library.toString() : library + ":" + preload);
                out.put(JEMALLOC_CONF, env.getOrDefault(JEMALLOC_CONF, JEMALLOC_SETTINGS));
            }
            case GLIBC -> {
                out.putAll(GLIBC_SETTINGS);
                out.put(TUNABLES, withHugePages(env.get(TUNABLES)));
            }
            case PRELOADED -> {
                // the user's allocator, with the user's settings
            }
        }
        return out;
    }

    /** The user's glibc tunables plus huge pages for malloc's heap, unless they set that themselves. */
    static String withHugePages(String tunables) {
        if (tunables == null || tunables.isEmpty()) {
            return HUGE_PAGES + "=1";
        }
        return tunables.contains(HUGE_PAGES + "=") ? tunables : tunables + ":" + HUGE_PAGES + "=1";
    }
}
