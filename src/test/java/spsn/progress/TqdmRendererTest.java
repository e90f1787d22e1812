package spsn.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import org.junit.jupiter.api.Test;

/** The bar's text, field by field, as tqdm writes it, at the width it is given. */
class TqdmRendererTest {

    @Test
    void aBarHasTqdmsFieldsAndFillsItsWidth() throws InterruptedException {
        List<String> before = render(99, 0, null);
        assertEquals("Epoch 1/2:   0%|", before.get(0).substring(0, 16));
        assertTrue(before.get(0).endsWith("| 0/8 [00:00<?, ? batch/s]"), before.get(0));
        assertEquals(99, before.get(0).length());

        List<String> after = render(99, 3, "loss=1.2346, acc=0.375");
        String last = after.get(after.size() - 1);
        assertEquals(99, last.length(), last);
        assertTrue(last.matches("Epoch 1/2:  37%\\|█+[ ▏▎▍▌▋▊▉]* *\\| 3/8 \\[\\d\\d:\\d\\d<\\d\\d:\\d\\d, "
                + "\\d+\\.\\d (batch/s|s/batch), loss=1\\.2346, acc=0\\.375\\]"), last);
        // 3/8 of the bar's cells, to the eighth
        String bar = last.substring(last.indexOf('|') + 1, last.lastIndexOf('|'));
        long full = bar.chars().filter(c -> c == '█').count();
        assertEquals(Math.floor(3.0 / 8 * bar.length()), full, bar);
    }

    @Test
    void aNarrowTerminalCutsTheTextNotTheLine() throws InterruptedException {
        for (String line : render(30, 2, "loss=1.2346, acc=0.375")) {
            assertTrue(line.length() <= 30, line);
        }
    }

    @Test
    void numbersAndTimesReadAsTqdms() {
        assertEquals("4.1 batch/s", Format.rate(41, 10, "batch"));
        assertEquals("2.5 s/batch", Format.rate(2, 5, "batch"));
        assertEquals("? batch/s", Format.rate(0, 0, "batch"));
        assertEquals("01:05", Format.clock(65));
        assertEquals("1:02:05", Format.clock(3725));
        assertEquals("[14.9, 0.0457, 1230, 0]", Format.spikes(List.of(14.912345, 0.045678, 1234.5, 0.0)));
    }

    /** What the bar's consumer receives for {@code steps} steps of 8. */
    private static List<String> render(int width, int steps, String message) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        ProgressBarConsumer consumer = new ProgressBarConsumer() {
            @Override
            public int getMaxRenderedLength() {
                return width;
            }

            @Override
            public void accept(String rendered) {
                synchronized (seen) {
                    seen.add(rendered);
                }
            }

            @Override
            public void close() {
            }
        };
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Epoch 1/2").setInitialMax(8)
                .setRenderer(new TqdmRenderer("batch", true)).setConsumer(consumer).setUpdateIntervalMillis(10_000)
                .build()) {
            for (int i = 0; i < steps; i++) {
                if (message != null) {
                    bar.setExtraMessage(message);
                }
                bar.step();
                Thread.sleep(20); // a measurable time, so that there is a rate
            }
        }
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }
}
