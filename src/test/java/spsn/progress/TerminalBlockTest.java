package spsn.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The bars' rows on one stream that stands for the terminal (standard output and error both
 * reach the same screen): a kept row leaves its last state once, on a line of its own, however
 * many times and from whichever thread it is closed.
 */
class TerminalBlockTest {

    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(screen, true, StandardCharsets.UTF_8);
    private final PrintWriter out = new PrintWriter(err, true);
    private final TerminalBlock block = new TerminalBlock(err, out, () -> 80);

    private String written() {
        err.flush();
        return screen.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRowClosedTwiceLeavesItsLastStateOnce() {
        TerminalBlock.Row row = block.add(true);
        row.accept("Test: 100%|##########| 2/2");
        row.close();
        String once = written();
        assertTrue(once.endsWith("Test: 100%|##########| 2/2\n"), once);
        // the library's refresh thread closing it again, then a refresh that was under way
        row.close();
        row.accept("Test: 100%|##########| 2/2 late");
        assertEquals(once, written());
        block.println("Test accuracy 0.5000");
        assertTrue(written().endsWith("Test: 100%|##########| 2/2\nTest accuracy 0.5000\n"), written());
    }

    @Test
    void aBarClosedByAnInterruptedThreadStillEndsItsLineBeforeTheNext() throws InterruptedException {
        ProgressDisplay display = ProgressDisplay.onBlock(out, block);
        ProgressDisplay.Bar bar = display.bar("Test", "batch", 2, 0, true);
        bar.step("acc=0.500");
        bar.step("acc=0.500");
        Thread.sleep(600); // the library redraws every 250 ms: the row has its last state
        // a run stopped by a signal: progressbar's close() returns without waiting for its last refresh
        Thread.currentThread().interrupt();
        try {
            bar.close();
        } finally {
            Thread.interrupted();
        }
        display.println("Test accuracy 0.5000");
        String text = written();
        int line = text.lastIndexOf("Test accuracy 0.5000");
        String before = text.substring(0, line);
        assertTrue(before.endsWith("]\n"), "the kept bar ends its own line: " + text);
        assertTrue(before.substring(before.lastIndexOf('\r') + 1).contains("2/2"), text);
        // nothing drawn after the line: the bar left the screen with it
        Thread.sleep(400);
        String after = written().substring(line);
        assertEquals("Test accuracy 0.5000\n", after);
        assertFalse(after.contains("\r"), after);
    }
}
