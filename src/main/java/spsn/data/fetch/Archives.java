package spsn.data.fetch;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import spsn.SpsnException;
import spsn.io.AtomicFiles;

/**
 * Unpacks a dataset archive (.zip holding the .h5, or the older .h5.gz) to its final name
 * through {@link AtomicFiles}: the bytes go to a temporary file that is renamed only once
 * complete, so the .h5 name never holds half a file. Both formats carry a CRC of the content,
 * which the JDK's readers check at the end of it.
 */
final class Archives {

    private Archives() {
    }

    static void unpack(Path archive, Path target) {
        String name = archive.getFileName().toString();
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
            if (name.endsWith(".gz")) {
                InputStream gz;
                try {
                    gz = new GZIPInputStream(file, 1 << 16);
                } catch (IOException e) {
                    throw damaged(archive, e);
                }
                copy(archive, gz, target);
            } else {
                ZipInputStream zip = new ZipInputStream(file);
                String wanted = target.getFileName().toString();
                ZipEntry entry;
                while ((entry = nextEntry(archive, zip)) != null) {
                    String entryName = Path.of(entry.getName()).getFileName().toString();
                    if (!entry.isDirectory() && entryName.equals(wanted)) {
                        copy(archive, zip, target);
                        return;
                    }
                }
                throw SpsnException.data(archive + ": holds no " + wanted + "; delete it and fetch again");
            }
        } catch (IOException e) {
            throw SpsnException.data("cannot read " + archive + ": " + e.getMessage(), e);
        }
    }

    private static ZipEntry nextEntry(Path archive, ZipInputStream zip) {
        try {
            return zip.getNextEntry();
        } catch (IOException e) {
            throw damaged(archive, e);
        }
    }

    /** Read errors mean a damaged archive; write errors (a full disk) are AtomicFiles' to report. */
    private static void copy(Path archive, InputStream in, Path target) {
        AtomicFiles.writeNew(target, out -> {
            byte[] buffer = new byte[1 << 16];
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    throw damaged(archive, e);
                }
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
            }
        });
    }

    private static SpsnException damaged(Path archive, IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return SpsnException.data(archive + ": the archive is damaged (" + reason.replaceAll("\\s+", " ").trim()
                + "); delete it and fetch again");
    }
}
