package spsn.io;

import java.nio.file.Files;
import java.nio.file.Path;
import spsn.SpsnException;

/** A folder a command writes files into, given by a flag: refused at once if a file is in the way. */
public final class OutputFolder {

    private OutputFolder() {
    }

    /**
     * Refuses {@code folder} when a file is where it, or one of its parents, should be; the
     * folder itself is created later, when the first file is written into it.
     *
     * @throws SpsnException (usage) naming {@code flag} and the file in the way
     */
    public static Path require(String flag, Path folder, String what) {
        for (Path p = folder.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw SpsnException.usage(flag + " " + folder + ": " + (p.equals(folder.toAbsolutePath())
                            ? "is a file" : p + " is a file") + ", not a folder; give a folder for " + what);
                }
                break;
            }
        }
        return folder;
    }
}
