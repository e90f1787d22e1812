package spsn.data.fetch;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Flow;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import spsn.SpsnException;

/**
 * Downloads one URL into a {@code .part} file with the JDK's HttpClient, continuing what the
 * file already holds with an HTTP Range request. A server that ignores the range (200 instead
 * of 206) is read from the start again; one that says the range is past the end (416) means the
 * file is already complete. Nothing here trusts the bytes: the caller checks the MD5.
 *
 * <p>Every failure is a {@link SpsnException} (exit 1) with one line saying what happened and
 * what to do; a transfer that breaks off keeps the part file, so the next run resumes it.
 */
final class HttpDownload {

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final int MIB = 1 << 20;

    private final HttpClient client;
    private final Duration timeout;
    private final boolean progress;
    private final PrintWriter out;

    /**
     * @param timeout the longest wait for a connection, for the response headers and for each
     *     piece of the body (a stalled server fails after it)
     */
    HttpDownload(Duration timeout, boolean progress, PrintWriter out) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.timeout = timeout;
        this.progress = progress;
        this.out = out;
    }

    /** Thrown for HTTP 404: the caller may try another layout of the same file. */
    static final class NotFound extends Exception {
        NotFound(URI url) {
            super(url + ": not found (HTTP 404)");
        }
    }

    /** A small text file (md5sums.txt), or null when the server has none. */
    String text(URI url) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() == 404) {
                return null;
            }
            if (r.statusCode() != 200) {
                throw SpsnException.data(url + ": the server answered HTTP " + r.statusCode() + "; try again later"
                        + " or use a mirror with --url");
            }
            return r.body();
        } catch (IOException e) {
            throw failure(url, e, -1, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpsnException.data(url + ": download interrupted");
        }
    }

    /** Brings {@code part} up to the whole content of {@code url}. */
    void fetch(URI url, Path part) throws NotFound {
        long have = existingSize(part);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofPublisher());
        } catch (IOException e) {
            throw failure(url, e, -1, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpsnException.data(url + ": download interrupted");
        }
        int code = response.statusCode();
        long start;
        long total;
        if (code == 206 && have > 0) {
            Matcher m = CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
            if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                // A range other than the one asked for: start again rather than splice wrong bytes.
                discard(response);
                deleteQuietly(part);
                fetch(url, part);
                return;
            }
            start = have;
            total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
        } else if (code == 200) {
            if (have > 0) {
                out.println("  the server does not resume downloads: starting " + part.getFileName() + " again");
            }
            start = 0;
            total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        } else if (code == 416 && have > 0) {
            discard(response); // the part file already holds everything; the checksum will tell
            return;
        } else if (code == 404) {
            discard(response);
            throw new NotFound(url);
        } else {
            discard(response);
            throw SpsnException.data(url + ": the server answered HTTP " + code + "; try again later or use a"
                    + " mirror with --url");
        }
        checkSpace(part, total - start);
        receive(url, part, response.body(), start, total);
    }

    private void receive(URI url, Path part, Flow.Publisher<List<ByteBuffer>> body, long start, long total) {
        long written = start;
        try (TimedBody chunks = new TimedBody(timeout);
             FileChannel file = open(part, start);
             ProgressBar bar = bar(part, start, total)) {
            body.subscribe(chunks);
            while (true) {
                List<ByteBuffer> buffers;
                try {
                    buffers = chunks.next();
                } catch (IOException e) {
                    throw failure(url, e, written, total);
                }
                if (buffers == null) {
                    break;
                }
                for (ByteBuffer b : buffers) {
                    while (b.hasRemaining()) {
                        try {
                            written += file.write(b);
                        } catch (IOException e) {
                            throw diskFailure(part, e);
                        }
                    }
                }
                if (bar != null) {
                    bar.stepTo(written);
                }
            }
            try {
                file.force(false);
            } catch (IOException e) {
                throw diskFailure(part, e);
            }
        } catch (IOException e) {
            throw diskFailure(part, e);
        }
        if (total >= 0 && written < total) {
            throw SpsnException.data(url + ": the transfer ended after " + mib(written) + " of " + mib(total)
                    + "; run the same command again to resume it");
        }
    }

    private static FileChannel open(Path part, long start) throws IOException {
        Files.createDirectories(part.toAbsolutePath().getParent());
        return start == 0
                ? FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)
                : FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private ProgressBar bar(Path part, long start, long total) {
        if (!progress) {
            return null;
        }
        String name = part.getFileName().toString();
        return new ProgressBarBuilder()
                .setTaskName(name.endsWith(".part") ? name.substring(0, name.length() - 5) : name)
                .setInitialMax(total)
                .startsFrom(start, Duration.ZERO)
                .setUnit("MiB", MIB)
                .showSpeed()
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
    }

    private static void checkSpace(Path part, long needed) {
        if (needed <= 0) {
            return;
        }
        try {
            Path folder = part.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            long free = Files.getFileStore(folder).getUsableSpace();
            if (free < needed) {
                throw SpsnException.data("not enough disk space in " + folder + ": " + part.getFileName() + " needs "
                        + mib(needed) + " more but " + mib(free) + " are free; free some space or choose another"
                        + " --data_dir");
            }
        } catch (IOException e) {
            // The writes themselves will say what is wrong with the folder.
        }
    }

    private static long existingSize(Path part) {
        try {
            return Files.isRegularFile(part) ? Files.size(part) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static void discard(HttpResponse<Flow.Publisher<List<ByteBuffer>>> response) {
        response.body().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.cancel();
            }

            @Override
            public void onNext(List<ByteBuffer> item) {
            }

            @Override
            public void onError(Throwable error) {
            }

            @Override
            public void onComplete() {
            }
        });
    }

    private SpsnException failure(URI url, IOException e, long written, long total) {
        String host = url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
        String resume = written > 0 ? "; run the same command again to resume it" : "";
        if (e instanceof TimedBody.StalledException) {
            return SpsnException.data(url + ": the server stopped sending (no data for " + timeout.toSeconds()
                    + " s) after " + progressText(written, total) + resume + ", or use a mirror with --url");
        }
        if (e instanceof HttpConnectTimeoutException) {
            return SpsnException.data("cannot connect to " + host + " within " + timeout.toSeconds()
                    + " s; check the network connection, or use a mirror with --url or " + DatasetSources.MIRROR_ENV);
        }
        if (e instanceof HttpTimeoutException) {
            return SpsnException.data(url + ": no answer within " + timeout.toSeconds() + " s; try again later,"
                    + " or use a mirror with --url or " + DatasetSources.MIRROR_ENV);
        }
        if (causedBy(e, UnresolvedAddressException.class) || causedBy(e, UnknownHostException.class)) {
            return SpsnException.data("cannot connect to " + host + ": unknown host (offline, or no DNS?); check"
                    + " the network connection, or use a mirror with --url or " + DatasetSources.MIRROR_ENV, e);
        }
        if (e instanceof ConnectException) {
            return SpsnException.data("cannot connect to " + host + ": connection refused; check the network"
                    + " connection, or use a mirror with --url or " + DatasetSources.MIRROR_ENV, e);
        }
        return SpsnException.data(url + ": the transfer broke off after " + progressText(written, total) + " ("
                + oneLine(e) + ")" + resume, e);
    }

    private static SpsnException diskFailure(Path part, IOException e) {
        String reason = oneLine(e);
        boolean full = reason.toLowerCase(Locale.ROOT).contains("no space");
        return SpsnException.data("cannot write " + part + ": " + reason + (full
                ? "; the disk is full: free some space or choose another --data_dir (the part already downloaded"
                        + " is kept and resumes)"
                : "; check that the folder is writable and has free space"), e);
    }

    private static String progressText(long written, long total) {
        if (written < 0) {
            return "0 bytes";
        }
        return total > 0 ? mib(written) + " of " + mib(total) : mib(written);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        return m.replaceAll("\\s+", " ").trim();
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Reported by whatever next needs the name.
        }
    }
}
