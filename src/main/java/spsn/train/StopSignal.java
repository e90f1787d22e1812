package spsn.train;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT (Ctrl-C), SIGTERM and SIGHUP (a closed terminal or ssh session) into a request
 * that the training loop honours at the next batch boundary, so that it can save a checkpoint
 * before it exits; a second request stops the process at once. A shutdown hook could not do
 * this: the JVM does not wait for the main thread. Until the run is {@link #arm armed} (it has
 * an id and something to save) a signal stops the process at once with exit code 130: loading
 * a large dataset is not worth waiting for. Closing it puts the previous handlers back (the
 * command line may run inside another program, e.g. the tests).
 *
 * <p>One user action must count once, however many processes it reaches: {@code timeout},
 * systemd and Slurm signal the whole process group (or every process of a job), so this JVM
 * gets the signal itself and also {@link #forwarded from} the relaunching parent, which got it
 * too ({@code timeout} even sends it to its command twice). So signals are counted per path
 * (received directly, passed on by the parent): a second request needs a second signal on the
 * same path, and it must come {@link #SAME_REQUEST} or more after the first; anything else is
 * the first request arriving another way.
 */
public final class StopSignal implements BooleanSupplier, AutoCloseable {

    /** The signals that ask a run to stop. */
    public static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");
    /** Signals this close to the first one belong to the same request, whichever path they took. */
    public static final long SAME_REQUEST = TimeUnit.SECONDS.toNanos(2);

    private static final AtomicBoolean STOPPING = new AtomicBoolean();

    /** The run listening now, for the signals the parent passes on; null while none is. */
    private static volatile StopSignal current;

    private final PrintWriter err;
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private final StopSignal outer;
    private volatile String received;
    private volatile boolean armed;
    private long firstAt;
    private int direct;
    private int fromParent;

    private StopSignal(PrintWriter err, StopSignal outer) {
        this.err = err;
        this.outer = outer;
    }

    /**
     * The process-wide handlers, installed first thing in {@code main}: until a run installs its
     * own, a stop signal ends the process at once with exit code 130, as documented (without
     * them the JVM would exit with 128 + the signal's number).
     */
    public static void installDefaults() {
        for (String name : SIGNALS) {
            handle(name, signal -> stopNow(new PrintWriter(System.err, true), "SIG" + signal.getName()));
        }
    }

    /**
     * Installs the handlers of one run. Where the JVM does not let it (e.g. run with -Xrs),
     * signals keep their default action and the run simply ends as before.
     */
    public static StopSignal install(PrintWriter err) {
        StopSignal stop = new StopSignal(err, current);
        for (String name : SIGNALS) {
            SignalHandler before = handle(name, signal -> stop.receive(false, signal.getName()));
            if (before != null) {
                stop.previous.put(new Signal(name), before);
            }
        }
        current = stop;
        return stop;
    }

    /**
     * A signal that the relaunching parent received and passed on ("TERM", "INT", "HUP"); ends
     * the process at once when no run is listening yet.
     */
    public static void forwarded(String name) {
        StopSignal stop = current;
        if (stop == null) {
            stopNow(new PrintWriter(System.err, true), "SIG" + name);
        } else {
            stop.receive(true, name);
        }
    }

    /** From now on a signal asks the run to stop and save instead of ending the process. */
    public void arm() {
        armed = true;
    }

    private synchronized void receive(boolean viaParent, String name) {
        String signal = "SIG" + name;
        if (!armed) {
            stopNow(err, signal);
        }
        long now = System.nanoTime();
        if (viaParent) {
            fromParent++;
        } else {
            direct++;
        }
        if (received == null) {
            received = signal;
            firstAt = now;
            err.println("spsn: " + signal + ": stopping after the current batch to save a checkpoint"
                    + " (send it again to stop at once)");
            err.flush();
            return;
        }
        if (Math.max(direct, fromParent) >= 2 && now - firstAt >= SAME_REQUEST) {
            err.println("spsn: " + signal + " again: stopping now, without saving");
            err.flush();
            Runtime.getRuntime().halt(RunInterruptedException.EXIT_CODE);
        }
        // Otherwise the same request reached this process another way: it is already honoured.
    }

    private static void stopNow(PrintWriter err, String signal) {
        if (STOPPING.getAndSet(true)) {
            return; // already halting: the same signal arrived by another path
        }
        err.println("spsn: " + signal + ": stopping (nothing to save yet)");
        err.flush();
        Runtime.getRuntime().halt(RunInterruptedException.EXIT_CODE);
    }

    /** Sets a handler and returns the one it replaces, or null where the JVM reserves the signal. */
    private static SignalHandler handle(String name, SignalHandler handler) {
        try {
            return Signal.handle(new Signal(name), handler);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return null; // reserved or unknown here (e.g. -Xrs): leave its default action
        }
    }

    /** Whether a stop was requested. */
    @Override
    public boolean getAsBoolean() {
        return received != null;
    }

    /** The signal received ("SIGINT", "SIGTERM", "SIGHUP"), or null. */
    public String received() {
        return received;
    }

    @Override
    public void close() {
        for (Map.Entry<Signal, SignalHandler> entry : previous.entrySet()) {
            try {
                Signal.handle(entry.getKey(), entry.getValue());
            } catch (IllegalArgumentException e) {
                // Cannot happen for a signal we could handle a moment ago; nothing to restore then.
            }
        }
        previous.clear();
        if (current == this) {
            current = outer;
        }
    }
}
