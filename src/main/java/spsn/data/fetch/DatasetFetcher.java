package spsn.data.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import spsn.SpsnException;

/**
 * Makes a dataset's files present in a data folder, one file at a time:
 * <ol>
 * <li>the .h5 is there: nothing to do (the reader validates it when it loads);</li>
 * <li>its archive is there (fetched earlier, or put there by hand): check its MD5, unpack;</li>
 * <li>otherwise download {@code <base><archive>} into {@code <archive>.part}, resuming what an
 *     earlier attempt left; a server without the .zip is tried in the older layout
 *     ({@code <name>.h5.gz}, checked against the server's md5sums.txt);</li>
 * <li>check the MD5 (a mismatch deletes the download and says so), rename the part to the
 *     archive's name, unpack it to a temporary name, rename that to the .h5 and delete the
 *     downloaded archive.</li>
 * </ol>
 * No step ever leaves a partial file under the .h5 name or the archive's name.
 */
public final class DatasetFetcher {

    /** The wait for a connection, the headers and each piece of the body when not given. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    static final String MD5SUMS = "md5sums.txt";
    static final String PART = ".part";

    private final URI base;
    private final HttpDownload http;
    private final PrintWriter out;

    public DatasetFetcher(URI base, Duration timeout, boolean progress, PrintWriter out) {
        this.base = base;
        this.http = new HttpDownload(timeout, progress, out);
        this.out = out;
    }

    /** Fetches every file of {@code files} that {@code dataDir} lacks. */
    public void fetch(String label, List<RemoteFile> files, Path dataDir) {
        out.println("Fetching " + label + " into " + dataDir + " from " + base);
        for (RemoteFile f : files) {
            fetchOne(f, dataDir);
        }
        out.flush();
    }

    /** Whether every target of {@code files} is in {@code dataDir}. */
    public static boolean present(List<RemoteFile> files, Path dataDir) {
        return files.stream().allMatch(f -> Files.exists(dataDir.resolve(f.target())));
    }

    private void fetchOne(RemoteFile f, Path dataDir) {
        Path target = dataDir.resolve(f.target());
        if (Files.exists(target)) {
            out.println(target + ": present");
            return;
        }
        Path zip = dataDir.resolve(f.archive());
        if (Files.isRegularFile(zip)) {
            out.println(zip + ": found, checking it");
            verify(zip, f.md5(), false);
            unpack(zip, target, false);
            return;
        }
        Path gz = dataDir.resolve(f.gzipped().archive());
        if (Files.isRegularFile(gz)) {
            out.println(gz + ": found (the older .gz layout)");
            unpack(gz, target, false);
            return;
        }
        RemoteFile got = download(f, dataDir);
        Path archive = dataDir.resolve(got.archive());
        Path part = dataDir.resolve(got.archive() + PART);
        verify(part, got.md5(), true);
        move(part, archive);
        unpack(archive, target, true);
    }

    /** Downloads the .zip, or the .gz of the older layout when the server has no .zip. */
    private RemoteFile download(RemoteFile f, Path dataDir) {
        URI zipUrl = base.resolve(f.archive());
        out.println("Downloading " + zipUrl);
        try {
            http.fetch(zipUrl, dataDir.resolve(f.archive() + PART));
            return f;
        } catch (HttpDownload.NotFound zipMissing) {
            RemoteFile gz = f.gzipped();
            String sums = http.text(base.resolve(MD5SUMS));
            String md5 = sums == null ? null : md5Of(sums, gz.archive());
            if (md5 == null) {
                throw SpsnException.data(zipMissing.getMessage() + "; the server has no " + gz.archive() + " listed"
                        + " in " + MD5SUMS + " either: check the URL (--url or " + DatasetSources.MIRROR_ENV
                        + "; default " + DatasetSources.DEFAULT_BASE + ")");
            }
            URI gzUrl = base.resolve(gz.archive());
            out.println("  no " + f.archive() + " there; downloading the older layout " + gzUrl);
            try {
                http.fetch(gzUrl, dataDir.resolve(gz.archive() + PART));
            } catch (HttpDownload.NotFound gzMissing) {
                throw SpsnException.data(gzMissing.getMessage() + " although " + MD5SUMS + " lists it; try again"
                        + " later or use another mirror with --url");
            }
            return new RemoteFile(gz.archive(), md5, gz.target());
        }
    }

    /** The MD5 listed for {@code name} in an md5sums.txt ("hex  name" lines), or null. */
    static String md5Of(String sums, String name) {
        for (String line : sums.split("\\R")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2 && parts[1].replaceFirst("^\\*", "").equals(name)
                    && parts[0].matches("(?i)[0-9a-f]{32}")) {
                return parts[0].toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    private void verify(Path file, String expected, boolean downloaded) {
        String actual = md5(file);
        if (!actual.equalsIgnoreCase(expected)) {
            HttpDownload.deleteQuietly(file);
            throw SpsnException.data("checksum mismatch: " + file + " has MD5 " + actual + " but " + expected
                    + " was published; the " + (downloaded ? "download" : "file") + " is deleted: run the command"
                    + " again" + (downloaded ? " (or use another mirror with --url)" : " to download it"));
        }
        out.println("  " + file.getFileName() + ": MD5 " + actual + " ok");
    }

    private void unpack(Path archive, Path target, boolean ownDownload) {
        Archives.unpack(archive, target);
        out.println("  unpacked " + target);
        if (ownDownload) {
            HttpDownload.deleteQuietly(archive);
        }
    }

    private static void move(Path part, Path archive) {
        try {
            try {
                Files.move(part, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, archive, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw SpsnException.data("cannot rename " + part + " to " + archive.getFileName() + ": " + e.getMessage(), e);
        }
    }

    static String md5(Path file) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw SpsnException.data("cannot read " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
