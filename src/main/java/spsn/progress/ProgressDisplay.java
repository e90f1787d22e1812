package spsn.progress;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * Where a run shows how far it has got. In a terminal: tqdm-like bars sized to its width (a bar
 * over the epochs, one over the batches of the current epoch or test), with the run's lines
 * printed above them. Anywhere else (a log file, a pipe, Slurm) or with {@code --progress False}:
 * the lines alone, one per epoch, with no carriage returns.
 */
public final class ProgressDisplay {

    /** How often a bar is redrawn, so that its clock moves during a slow batch too. */
    private static final int REDRAW_MILLIS = 250;

    private final PrintWriter out;
    private final TerminalBlock block;
    private final boolean unicode;

    private ProgressDisplay(PrintWriter out, TerminalBlock block) {
        this.out = out;
        this.block = block;
        this.unicode = Terminal.unicode();
    }

    /** Bars when {@code bars} is true and standard output and error are a terminal; lines otherwise. */
    public static ProgressDisplay create(boolean bars, PrintWriter out) {
        return bars && Terminal.interactiveWidth() > 0
                ? new ProgressDisplay(out, new TerminalBlock(System.err, out, Terminal::interactiveWidth))
                : lines(out);
    }

    /** Bars on {@code block}, whatever the terminal (the tests' screen). */
    static ProgressDisplay onBlock(PrintWriter out, TerminalBlock block) {
        return new ProgressDisplay(out, block);
    }

    /** Lines on {@code out}, no bars. */
    public static ProgressDisplay lines(PrintWriter out) {
        return new ProgressDisplay(out, null);
    }

    /** Whether bars are drawn. */
    public boolean bars() {
        return block != null;
    }

    /** Prints a line (above the bars in a terminal). */
    public void println(String line) {
        if (block != null) {
            block.println(line);
        } else {
            out.println(line);
            out.flush();
        }
    }

    /**
     * A bar over {@code total} items of which {@code done} are done already (a resumed run).
     *
     * @param task the bar's title, e.g. "Epoch 3/5"
     * @param unit what is counted: "batch", "epoch"
     * @param keep leave the bar's last state on the screen when it closes (tqdm's leave=True)
     */
    public Bar bar(String task, String unit, long total, long done, boolean keep) {
        if (block == null) {
            return new Bar(null, null);
        }
        TerminalBlock.Row row = block.add(keep);
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .startsFrom(done, Duration.ZERO)
                .setRenderer(new TqdmRenderer(unit, unicode))
                .setConsumer(row)
                .setUpdateIntervalMillis(REDRAW_MILLIS)
                .continuousUpdate()
                .build();
        return new Bar(bar, row);
    }

    /** One bar, or nothing in line mode. */
    public static final class Bar implements AutoCloseable {
        private final ProgressBar bar;
        private final TerminalBlock.Row row;
        private boolean closed;

        private Bar(ProgressBar bar, TerminalBlock.Row row) {
            this.bar = bar;
            this.row = row;
        }

        /** One more item done; {@code message} follows the rate, e.g. "loss=2.0412, acc=0.281". */
        public void step(String message) {
            if (bar != null) {
                bar.setExtraMessage(message);
                bar.step();
            }
        }

        /** Draws the bar's last state (kept on the screen or removed, as it was made); again: nothing. */
        @Override
        public void close() {
            if (bar != null && !closed) {
                closed = true;
                bar.close();
                // The library closes the row on its refresh thread and returns without waiting if this
                // thread is interrupted; closing it here too means that whatever is printed next lands
                // below the bar's last state, never on the same line.
                row.close();
            }
        }
    }
}
