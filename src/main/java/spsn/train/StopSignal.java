package spsn.train;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT (Ctrl-C) and SIGTERM into a request that the training loop honours at the next
 * batch boundary, so that it can save a checkpoint before it exits; a second signal stops the
 * process at once. A shutdown hook could not do this: the JVM does not wait for the main thread.
 * Until the run is {@link #arm armed} (it has an id and something to save) a signal stops the
 * process at once, as it would without handlers: loading a large dataset is not worth waiting
 * for. Closing it puts the previous handlers back (the command line may run inside another
 * program, e.g. the tests).
 */
public final class StopSignal implements BooleanSupplier, AutoCloseable {

    private static final String[] SIGNALS = {"INT", "TERM"};

    private final PrintWriter err;
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private volatile String received;
    private volatile boolean armed;

    private StopSignal(PrintWriter err) {
        this.err = err;
    }

    /**
     * Installs the handlers. Where the JVM does not let it (e.g. run with -Xrs), signals keep
     * their default action and the run simply ends as before.
     */
    public static StopSignal install(PrintWriter err) {
        StopSignal stop = new StopSignal(err);
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                stop.previous.put(signal, Signal.handle(signal, stop::handle));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // This signal is reserved or unknown here: leave its default action.
            }
        }
        return stop;
    }

    /** From now on a signal asks the run to stop and save instead of ending the process. */
    public void arm() {
        armed = true;
    }

    private void handle(Signal signal) {
        if (!armed) {
            err.println("spsn: SIG" + signal.getName() + ": stopping (nothing to save yet)");
            err.flush();
            Runtime.getRuntime().halt(RunInterruptedException.EXIT_CODE);
        }
        if (received != null) {
            err.println("spsn: SIG" + signal.getName() + " again: stopping now, without saving");
            err.flush();
            Runtime.getRuntime().halt(RunInterruptedException.EXIT_CODE);
        }
        received = "SIG" + signal.getName();
        err.println("spsn: " + received + ": stopping after the current batch to save a checkpoint"
                + " (send it again to stop at once)");
        err.flush();
    }

    /** Whether a stop was requested. */
    @Override
    public boolean getAsBoolean() {
        return received != null;
    }

    /** The signal received ("SIGINT", "SIGTERM"), or null. */
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
    }
}
