package spsn.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import spsn.SpsnException;

/**
 * A run's hold on its id in a folder while it is in progress: the file run_N_ID.lock, locked
 * with {@link FileChannel#tryLock}. The operating system releases the lock when the process
 * dies, however it dies, so a crash cannot leave a run id or a checkpoint stuck; a lock file
 * left by a crash is merely unlocked, and is taken over or swept away later. The file holds the
 * owner's pid and its parent's (for messages, to tell a crashed owner from a live one, and a
 * dying one from a live one).
 */
final class RunLock implements AutoCloseable {

    /**
     * Lock files this JVM holds. The JVM must never open another descriptor of one of them:
     * closing any descriptor of a file drops the process's POSIX lock on it.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final long id;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, long id, FileChannel channel, FileLock lock) {
        this.file = file;
        this.id = id;
        this.channel = channel;
        this.lock = lock;
    }

    static String name(String neuron, long id) {
        return "run_" + neuron + "_" + id + ".lock";
    }

    long id() {
        return id;
    }

    /**
     * Claims the first id from now on that no file in {@code dir} uses and no other run holds:
     * two runs started in the same second into one folder get two ids.
     */
    static RunLock claimFresh(Path dir, String neuron) {
        long id = System.currentTimeMillis() / 1000;
        while (true) {
            if (!RunFiles.taken(dir, neuron, id)) {
                Path file = dir.resolve(name(neuron, id));
                try {
                    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
                    // Nobody removes an empty lock file (see removeIfStale): no need to check it is still ours.
                    Optional<RunLock> lock = lockAndCheck(file, id, channel, null);
                    if (lock.isPresent()) {
                        return lock.get();
                    }
                } catch (FileAlreadyExistsException e) {
                    // another run claimed this id a moment ago
                } catch (IOException e) {
                    throw cannotLock(file, e);
                }
            }
            id++;
        }
    }

    /**
     * Takes the lock of run {@code id} in {@code dir} (a resume, or files going there): refused
     * at once, naming {@code what}, while another process holds it.
     */
    static RunLock acquire(Path dir, String neuron, long id, String what) {
        Path file = dir.resolve(name(neuron, id));
        for (int attempt = 0; ; attempt++) {
            try {
                if (!HELD.contains(key(file))) {
                    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
                    Optional<RunLock> lock = lockAndCheck(file, id, channel, fileKey(file));
                    if (lock.isPresent()) {
                        return lock.get();
                    }
                }
            } catch (IOException e) {
                throw cannotLock(file, e);
            }
            // Held, or a sweep of another process is looking at the file for a moment, or its
            // owner is dying: the tuned child of a relaunch whose parent was just killed takes a
            // second or two to end (libtorch's exit handlers), and is waited for.
            if (attempt >= (ownerOrphaned(file) ? 500 : 25)) {
                Optional<Long> owner = HELD.contains(key(file)) ? Optional.of(ProcessHandle.current().pid()) : owner(file);
                String pid = owner.map(p -> " (pid " + p + ")").orElse("");
                throw SpsnException.data(what + " is in use by another run in progress" + pid + ", which holds "
                        + file + "; wait for it to end or stop it first");
            }
            pause();
        }
    }

    /** Whether a live process holds the lock of run {@code id} in {@code dir}. */
    static boolean held(Path dir, String neuron, long id) {
        Path file = dir.resolve(name(neuron, id));
        if (HELD.contains(key(file))) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (NoSuchFileException e) {
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // held by this JVM
        } catch (IOException e) {
            return true; // cannot tell: treat its files as in use
        }
    }

    /**
     * Removes {@code file}, a lock file, if no process holds it and the pid it names is gone:
     * left by a run that crashed. Returns whether it did.
     */
    static boolean removeIfStale(Path file) {
        if (HELD.contains(key(file))) {
            return false;
        }
        Optional<Long> pid = owner(file);
        if (pid.isEmpty() || ProcessHandle.of(pid.get()).isPresent()) {
            return false; // being created right now, or its owner may still run
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return false;
            }
            try {
                Files.deleteIfExists(file);
                return true;
            } finally {
                lock.release();
            }
        } catch (IOException | OverlappingFileLockException e) {
            return false;
        }
    }

    /**
     * Locks the open {@code channel} and writes this process's pid into it. With {@code before},
     * the file's identity when it was opened, the lock counts only if the path still names that
     * file now that it is held: a lock on a file that its previous owner removed meanwhile is
     * not a lock on the path. (The identity is read with stat: opening the file again, even to
     * read it, would drop the lock when closed.)
     */
    private static Optional<RunLock> lockAndCheck(Path file, long id, FileChannel channel, Object before)
            throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // this JVM holds it already
        }
        if (lock == null || (before != null && !before.equals(fileKey(file)))) {
            channel.close();
            return Optional.empty();
        }
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(0L);
        byte[] pid = (ProcessHandle.current().pid() + " " + parent + "\n").getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(pid), 0);
        channel.force(false);
        HELD.add(key(file));
        return Optional.of(new RunLock(file, id, channel, lock));
    }

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }

    /** Whether the owner's parent, as the lock file records it, is gone (the owner then follows it). */
    private static boolean ownerOrphaned(Path file) {
        if (HELD.contains(key(file))) {
            return false;
        }
        try {
            String[] fields = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
            long parent = fields.length > 1 ? Long.parseLong(fields[1]) : 0;
            return parent > 1 && ProcessHandle.of(parent).isEmpty();
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static Optional<Long> owner(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            int space = text.indexOf(' ');
            return Optional.of(Long.parseLong(space < 0 ? text : text.substring(0, space)));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static SpsnException cannotLock(Path file, IOException e) {
        return SpsnException.data("cannot create the run's lock file " + file + " (" + e.getMessage()
                + "); check that the folder is writable, or choose another with --output_dir", e);
    }

    /** Ends the hold: the file is removed first, then the lock released. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // An unlocked lock file only marks the id as used; a later run sweeps it.
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // Closing releases the lock in any case.
        }
        HELD.remove(key(file));
    }
}
