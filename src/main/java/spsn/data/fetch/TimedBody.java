package spsn.data.fetch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body read chunk by chunk with a limit on the wait for each chunk. The JDK's
 * HttpClient has a timeout for the response headers only; a server that stops sending in the
 * middle of a body would otherwise block the reader for ever. One chunk is requested at a
 * time, so a slow disk slows the transfer instead of filling memory.
 */
final class TimedBody implements Flow.Subscriber<List<ByteBuffer>>, AutoCloseable {

    /** Thrown when no data came for the read timeout. */
    static final class StalledException extends IOException {
        StalledException(Duration timeout) {
            super("no data for " + timeout.toSeconds() + " s");
        }
    }

    private sealed interface Item permits Chunk, End, Failure {
    }

    private record Chunk(List<ByteBuffer> buffers) implements Item {
    }

    private record End() implements Item {
    }

    private record Failure(Throwable error) implements Item {
    }

    private final LinkedBlockingQueue<Item> items = new LinkedBlockingQueue<>();
    private final Duration readTimeout;
    private volatile Flow.Subscription subscription;
    private boolean ended;

    TimedBody(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        items.add(new Chunk(buffers));
    }

    @Override
    public void onError(Throwable error) {
        items.add(new Failure(error));
    }

    @Override
    public void onComplete() {
        items.add(new End());
    }

    /** The next buffers of the body, or null at its end. */
    List<ByteBuffer> next() throws IOException {
        if (ended) {
            return null;
        }
        Item item;
        try {
            item = items.poll(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (item == null) {
            throw new StalledException(readTimeout);
        }
        if (item instanceof Failure f) {
            ended = true;
            throw f.error() instanceof IOException io ? io : new IOException(f.error());
        }
        if (item instanceof End) {
            ended = true;
            return null;
        }
        subscription.request(1);
        return ((Chunk) item).buffers();
    }

    @Override
    public void close() {
        Flow.Subscription s = subscription;
        if (s != null && !ended) {
            s.cancel();
        }
    }
}
