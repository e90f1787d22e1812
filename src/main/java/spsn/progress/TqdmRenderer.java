package spsn.progress;

import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressState;

/**
 * Renders a bar as tqdm does, filling the width it is given:
 * {@code Epoch 3/5:  25%|████▌      | 32/128 [00:07<00:21, 4.5 batch/s, loss=2.0412, acc=0.281]}.
 * The bar takes what the text leaves, at least {@value #MIN_BAR} columns; when even that does
 * not fit, the text is cut at the end.
 */
final class TqdmRenderer implements ProgressBarRenderer {

    static final int MIN_BAR = 10;
    /** tqdm's blocks: eighths of a cell. */
    private static final String UNICODE = " ▏▎▍▌▋▊▉█";
    private static final String ASCII = " 123456789#";

    private final String unit;
    private final String cells;

    TqdmRenderer(String unit, boolean unicode) {
        this.unit = unit;
        this.cells = unicode ? UNICODE : ASCII;
    }

    @Override
    public String render(ProgressState state, int width) {
        long done = state.getCurrent();
        long total = state.getMax();
        long doneHere = done - state.getStart(); // a resumed bar's rate counts this session only
        double seconds = state.getElapsedAfterStart().toMillis() / 1e3;
        double fraction = total > 0 ? Math.min(1, (double) done / total) : 0;
        String remaining = doneHere > 0 ? Format.clock(seconds / doneHere * Math.max(0, total - done)) : "?";
        String message = state.getExtraMessage();
        String prefix = state.getTaskName() + ": " + String.format("%3d%%", (int) Math.floor(100 * fraction)) + "|";
        String suffix = "| " + done + "/" + total + " [" + Format.clock(state.getTotalElapsed().toMillis() / 1e3)
                + "<" + remaining + ", " + Format.rate(doneHere, seconds, unit)
                + (message == null || message.isEmpty() ? "" : ", " + message) + "]";
        int barWidth = Math.max(MIN_BAR, width - prefix.length() - suffix.length());
        String line = prefix + bar(fraction, barWidth) + suffix;
        return line.length() > width ? line.substring(0, Math.max(0, width)) : line;
    }

    private String bar(double fraction, int width) {
        int steps = cells.length() - 1;
        long eighths = (long) Math.floor(fraction * width * steps);
        StringBuilder bar = new StringBuilder(width);
        for (int i = 0; i < width; i++) {
            long filled = Math.min(steps, Math.max(0, eighths - (long) i * steps));
            bar.append(cells.charAt((int) filled));
        }
        return bar.toString();
    }
}
