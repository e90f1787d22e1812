package spsn.sweep;

/** One training flag and its value as the command line takes it: {@code --name value}. */
record Flag(String name, String value) {

    /** The flag's name without leading dashes, as grid files may write it either way. */
    static String bare(String name) {
        String n = name.strip();
        while (n.startsWith("-")) {
            n = n.substring(1);
        }
        return n;
    }

    String option() {
        return "--" + name;
    }
}
