package spsn.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import spsn.SpsnException;

/** A folder a command writes files into, given by a flag: created if missing, refused if a file is in the way. */
public final class OutputFolder {

    private OutputFolder() {
    }

    /**
     * Creates {@code folder} (and its parents) unless it exists as a folder.
     *
     * @throws SpsnException (usage) naming {@code flag} when a file is where the folder should be
     */
    public static Path require(String flag, Path folder, String what) {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw SpsnException.usage(flag + " " + folder + ": is a file, not a folder; give a folder for " + what);
        }
        try {
            Files.createDirectories(folder);
            return folder;
        } catch (FileAlreadyExistsException e) {
            throw SpsnException.usage(flag + " " + folder + ": " + e.getFile() + " is a file, not a folder; give a"
                    + " folder for " + what);
        } catch (IOException e) {
            throw SpsnException.data(flag + " " + folder + ": cannot create the folder (" + e.getMessage()
                    + "); choose another or fix its permissions", e);
        }
    }
}
