package spsn.cli;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import spsn.SpsnException;

/**
 * Command-line arguments that the locale cannot represent. Under a POSIX locale (LANG=C, no
 * LC_ALL) the JVM decodes arguments and encodes file names as ASCII, so {@code --dir résumé_é}
 * would silently become {@code r??sum??_??}. The raw bytes are still in /proc/self/cmdline: the
 * relaunch decodes them as UTF-8, hands them to its child in {@link #ARGS} (Base64, which any
 * locale carries) and starts the child under a UTF-8 locale; a run that is not relaunched is
 * refused with what to do.
 */
final class ArgumentEncoding {

    /** The child's arguments, UTF-8 then Base64, one per line. */
    static final String ARGS = "SPSN_ARGS_UTF8";

    private ArgumentEncoding() {
    }

    /** Whether file names are encoded as UTF-8 in this JVM. */
    static boolean utf8Names() {
        String jnu = System.getProperty("sun.jnu.encoding");
        try {
            return jnu == null || Charset.forName(jnu).equals(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false; // an encoding Java does not know cannot be UTF-8
        }
    }

    /**
     * The arguments as the user typed them (UTF-8), when this JVM's locale lost some of their
     * characters; empty when nothing was lost (or this is not Linux).
     */
    static Optional<List<String>> lostCharacters(String[] args) {
        if (utf8Names()) {
            return Optional.empty();
        }
        byte[] raw;
        try {
            raw = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        List<String> all = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                all.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (all.size() < args.length) {
            return Optional.empty();
        }
        List<String> typed = all.subList(all.size() - args.length, all.size());
        return typed.equals(List.of(args)) ? Optional.empty() : Optional.of(List.copyOf(typed));
    }

    /** The value of {@link #ARGS} for {@code args}. */
    static String encode(List<String> args) {
        StringBuilder out = new StringBuilder();
        for (String arg : args) {
            out.append(Base64.getEncoder().encodeToString(arg.getBytes(StandardCharsets.UTF_8))).append('\n');
        }
        return out.toString();
    }

    /** In the child: the arguments the parent passed in {@link #ARGS}, or {@code args}. */
    static String[] fromParent(String[] args) {
        String encoded = System.getenv(ARGS);
        if (encoded == null) {
            return args;
        }
        return encoded.lines().filter(l -> !l.isEmpty())
                .map(l -> new String(Base64.getDecoder().decode(l), StandardCharsets.UTF_8)).toArray(String[]::new);
    }

    /** Refuses a run in this JVM whose arguments lost characters. */
    static void requireRepresentable(String[] args) {
        if (lostCharacters(args).isPresent()) {
            throw SpsnException.usage("the command line has characters that the locale ("
                    + System.getProperty("sun.jnu.encoding") + ", e.g. LANG=C) cannot write in file names; run with"
                    + " LC_ALL=C.UTF-8 (or another UTF-8 locale)");
        }
    }
}
