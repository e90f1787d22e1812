package spsn.io;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import spsn.SpsnException;

/**
 * Writes files so that readers never see a half-written one: the content goes to a temporary
 * file in the target's folder, is synced to disk, then renamed over the target in one step. A
 * failure leaves the target as it was and removes the temporary file.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Writes {@code target} (replacing it if present) with what {@code body} writes. */
    public static void write(Path target, IOConsumer<OutputStream> body) {
        commit(target, body, false);
    }

    /** Like {@link #write} but fails, leaving the file untouched, when {@code target} exists. */
    public static void writeNew(Path target, IOConsumer<OutputStream> body) {
        commit(target, body, true);
    }

    /** Writes {@code text} as UTF-8, replacing {@code target} if present. */
    public static void writeString(Path target, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    private static void commit(Path target, IOConsumer<OutputStream> body, boolean mustBeNew) {
        Path absolute = target.toAbsolutePath();
        if (mustBeNew && Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            throw alreadyExists(target);
        }
        Path temp = null;
        try {
            Path folder = absolute.getParent();
            Files.createDirectories(folder);
            temp = createTemp(folder, absolute.getFileName().toString());
            try (FileOutputStream file = new FileOutputStream(temp.toFile());
                    OutputStream buffered = new BufferedOutputStream(file, 1 << 16)) {
                body.accept(new KeepOpen(buffered));
                buffered.flush();
                file.getFD().sync();
            }
            if (mustBeNew) {
                moveIfAbsent(temp, absolute, target);
            } else {
                moveReplacing(temp, absolute);
            }
            temp = null;
        } catch (IOException e) {
            throw SpsnException.data("cannot write " + target + ": " + describe(e)
                    + "; check that the folder exists, is writable and has free space", e);
        } finally {
            if (temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    /**
     * A new, empty file next to the target. Made with default permissions (umask), unlike
     * Files.createTempFile's owner-only ones, because it becomes the target.
     */
    private static Path createTemp(Path folder, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            long tag = ThreadLocalRandom.current().nextLong() >>> 1;
            Path temp = folder.resolve("." + name + "." + Long.toString(tag, 36) + ".tmp");
            try {
                Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 10) {
                    throw new IOException("cannot create a temporary file in " + folder, e);
                }
            }
        }
    }

    private static void moveReplacing(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Publishes {@code temp} as {@code target} only if no file appeared there meanwhile: a hard
     * link fails atomically when the name is taken. File systems without hard links fall back
     * to a move without REPLACE_EXISTING, which also refuses an existing target.
     */
    private static void moveIfAbsent(Path temp, Path target, Path shownName) throws IOException {
        try {
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            throw alreadyExists(shownName);
        } catch (UnsupportedOperationException | FileSystemException e) {
            try {
                Files.move(temp, target);
            } catch (FileAlreadyExistsException taken) {
                throw alreadyExists(shownName);
            }
            return;
        }
        Files.delete(temp);
    }

    private static SpsnException alreadyExists(Path target) {
        return SpsnException.data("file " + target + " already exists; refusing to overwrite it "
                + "(choose another path or delete the file first)");
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or folder " + e.getMessage();
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file is in the way of a needed folder: " + e.getMessage();
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.replace('\n', ' ');
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // The original failure matters more; a stray hidden .tmp file is harmless.
        }
    }

    /**
     * Hands the stream to the body without letting it close the file: the body (e.g. a
     * ZipOutputStream) may close its stream, but the sync must still happen afterwards.
     */
    private static final class KeepOpen extends FilterOutputStream {

        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
