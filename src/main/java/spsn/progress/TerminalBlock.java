package spsn.progress;

import me.tongfei.progressbar.ProgressBarConsumer;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The live bars at the bottom of a terminal, one row each (the epochs above the batches, as
 * nested tqdm bars sit), redrawn in place on standard error; lines printed meanwhile go to
 * standard output above them, as {@code tqdm.write} does. Each row is a progress bar's consumer.
 */
final class TerminalBlock {

    private static final String UP = "\u001b[%dA";
    private static final String CLEAR_TO_END_OF_LINE = "\u001b[K";
    private static final String CLEAR_TO_END_OF_SCREEN = "\u001b[J";

    private final PrintStream err;
    private final PrintWriter out;
    private final IntSupplier width;
    private final List<Row> rows = new ArrayList<>();
    /** Rows on the screen now; the cursor is at the end of the last one. */
    private int drawn;

    TerminalBlock(PrintStream err, PrintWriter out, IntSupplier width) {
        this.err = err;
        this.out = out;
        this.width = width;
    }

    /** A new row below the others; {@code keep}: its last state stays on the screen when it closes. */
    synchronized Row add(boolean keep) {
        Row row = new Row(keep, Math.max(20, width.getAsInt()) - 1);
        rows.add(row);
        return row;
    }

    /** Prints {@code line} on standard output above the bars. */
    synchronized void println(String line) {
        erase();
        out.println(line);
        out.flush();
        draw();
    }

    private void erase() {
        if (drawn > 0) {
            if (drawn > 1) {
                err.printf(UP, drawn - 1);
            }
            err.print("\r" + CLEAR_TO_END_OF_SCREEN);
            err.flush();
            drawn = 0;
        }
    }

    private void draw() {
        List<Row> visible = rows.stream().filter(r -> r.text != null).toList();
        for (int i = 0; i < visible.size(); i++) {
            err.print(visible.get(i).text + CLEAR_TO_END_OF_LINE + (i + 1 < visible.size() ? "\n" : ""));
        }
        drawn = visible.size();
        err.flush();
    }

    private synchronized void update(Row row, String text) {
        if (row.closed) {
            return; // a refresh that was under way when its bar closed: the row has left the screen
        }
        row.text = text;
        erase();
        draw();
    }

    private synchronized void close(Row row) {
        if (row.closed) {
            return; // the library's refresh thread and the bar's owner may both close it
        }
        row.closed = true;
        erase();
        rows.remove(row);
        if (row.keep && row.text != null) {
            err.println(row.text);
        }
        draw();
    }

    /** One bar's place in the block. */
    final class Row implements ProgressBarConsumer {
        private final boolean keep;
        private final int maxLength;
        private String text;
        private boolean closed;

        private Row(boolean keep, int maxLength) {
            this.keep = keep;
            this.maxLength = maxLength;
        }

        @Override
        public int getMaxRenderedLength() {
            return maxLength;
        }

        @Override
        public void accept(String rendered) {
            update(this, rendered);
        }

        @Override
        public void clear() {
            update(this, null);
        }

        @Override
        public void close() {
            TerminalBlock.this.close(this);
        }
    }
}
