package spsn.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import spsn.train.StopSignal;

/**
 * How the relaunching parent passes the stop signals it receives on to its child: one line per
 * signal ("TERM") over a Unix socket, rather than as a signal. The child then knows which path
 * each signal took, so a signal sent to the whole process group, which reaches both processes,
 * counts once (see {@link StopSignal}). The socket file lives in a private temporary folder
 * only until the child connects. The connection also tells the child at once that its parent
 * was killed: the kernel closes it.
 */
final class SignalRelay implements AutoCloseable {

    /** The child finds the parent's socket under this environment variable. */
    static final String SOCKET = "SPSN_SIGNAL_SOCKET";

    private final Path folder;
    private final Path socket;
    private final ServerSocketChannel server;
    private volatile SocketChannel child;

    private SignalRelay(Path folder, Path socket, ServerSocketChannel server) {
        this.folder = folder;
        this.socket = socket;
        this.server = server;
    }

    /** The parent's end, listening; null where Unix sockets are unavailable (then signals pass as SIGTERM). */
    static SignalRelay open() {
        Path folder = null;
        try {
            folder = Files.createTempDirectory("spsn-");
            Path socket = folder.resolve("signals");
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            SignalRelay relay = new SignalRelay(folder, socket, server);
            Thread accept = new Thread(relay::acceptChild, "spsn-signal-relay");
            accept.setDaemon(true);
            accept.start();
            return relay;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            deleteQuietly(folder);
            return null;
        }
    }

    Path socket() {
        return socket;
    }

    private void acceptChild() {
        try {
            child = server.accept();
        } catch (IOException e) {
            // Closed before the child connected (it ended early): nothing to relay to.
        } finally {
            close();
        }
    }

    /** Passes a signal on; false when the child is not connected (yet). */
    synchronized boolean pass(String name) {
        SocketChannel channel = child;
        if (channel == null) {
            return false;
        }
        try {
            ByteBuffer line = ByteBuffer.wrap((name + "\n").getBytes(StandardCharsets.US_ASCII));
            while (line.hasRemaining()) {
                channel.write(line);
            }
            return true;
        } catch (IOException e) {
            return false; // the child is gone or going
        }
    }

    /** Stops listening and removes the socket file (the connection, once made, stays open). */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // Nothing more to release.
        }
        deleteQuietly(socket);
        deleteQuietly(folder);
    }

    /**
     * In the child: connects to the parent's socket named in the environment, if any, and hands
     * every signal the parent passes on to {@link StopSignal#forwarded}.
     */
    static void listenToParent() {
        String path = System.getenv(SOCKET);
        if (path == null || path.isEmpty()) {
            return;
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(path));
        } catch (IOException | RuntimeException e) {
            return; // the parent then passes signals on as SIGTERM
        }
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                    StandardCharsets.US_ASCII))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (StopSignal.SIGNALS.contains(line)) {
                        StopSignal.forwarded(line);
                    }
                }
            } catch (IOException e) {
                // The connection broke: the parent is gone, as below.
            }
            // The parent never closes its end while it lives: it was killed (e.g. kill -9), and so
            // is this run, at once (watching the parent's pid would notice it later).
            Runtime.getRuntime().halt(TunedRelaunch.PARENT_GONE);
        }, "spsn-parent-signals");
        reader.setDaemon(true);
        reader.start();
    }

    private static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // A leftover in the temporary folder; harmless.
        }
    }
}
