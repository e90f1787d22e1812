package spsn.data.fetch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server on 127.0.0.1 (an ephemeral port) for the download tests, serving files
 * from memory with a chosen behaviour per file: a well-behaved server with Range support, one
 * that ignores Range, one that cuts the transfer in the middle once, one that stalls.
 */
public final class LocalServer implements AutoCloseable {

    /** How the server answers requests for one file. */
    public enum Mode {
        /** 200, or 206 for a Range request, 416 past the end. */
        NORMAL,
        /** Always 200 with the whole file, whatever Range asks. */
        IGNORE_RANGE,
        /** The first request announces the whole length, sends half and closes; later ones are NORMAL. */
        CUT_ONCE,
        /** Announces the whole length, sends half, then sends nothing more until the server closes. */
        STALL
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Mode> modes = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    public LocalServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves {@code bytes} as {@code /name}. */
    public LocalServer serve(String name, byte[] bytes, Mode mode) {
        files.put(name, bytes);
        modes.put(name, mode);
        return this;
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** Every request so far as "name" or "name bytes=N-". */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String name = exchange.getRequestURI().getPath().substring(1);
        String range = exchange.getRequestHeaders().getFirst("Range");
        requests.add(range == null ? name : name + " " + range);
        byte[] bytes = files.get(name);
        if (bytes == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        Mode mode = modes.get(name);
        try (OutputStream body = exchange.getResponseBody()) {
            switch (mode) {
                case NORMAL -> sendRange(exchange, body, bytes, range);
                case IGNORE_RANGE -> {
                    exchange.sendResponseHeaders(200, bytes.length);
                    body.write(bytes);
                }
                case CUT_ONCE -> {
                    modes.put(name, Mode.NORMAL);
                    exchange.sendResponseHeaders(200, bytes.length);
                    body.write(bytes, 0, bytes.length / 2);
                    body.flush();
                    // Closing without the rest: the client sees the connection end early.
                    exchange.close();
                }
                case STALL -> {
                    exchange.sendResponseHeaders(200, bytes.length);
                    body.write(bytes, 0, bytes.length / 2);
                    body.flush();
                    awaitClose();
                }
            }
        } catch (IOException e) {
            // The client went away (as in the cut and stall cases): nothing to answer.
        }
    }

    private static void sendRange(HttpExchange exchange, OutputStream body, byte[] bytes, String range)
            throws IOException {
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m == null || !m.matches()) {
            exchange.sendResponseHeaders(200, bytes.length);
            body.write(bytes);
            return;
        }
        int from = Integer.parseInt(m.group(1));
        if (from >= bytes.length) {
            exchange.getResponseHeaders().set("Content-Range", "bytes */" + bytes.length);
            exchange.sendResponseHeaders(416, -1);
            return;
        }
        exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (bytes.length - 1) + "/"
                + bytes.length);
        exchange.sendResponseHeaders(206, bytes.length - from);
        body.write(bytes, from, bytes.length - from);
    }

    private void awaitClose() {
        try {
            closing.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
