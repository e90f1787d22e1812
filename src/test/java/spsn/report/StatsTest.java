package spsn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void sampleStandardDeviationDividesByNMinusOne() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum to 32, 32/7 → std 2.138.
        Stats s = Stats.of(List.of(2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0));
        assertEquals(8, s.n());
        assertEquals(5.0, s.mean(), 1e-12);
        assertEquals(Math.sqrt(32.0 / 7.0), s.std(), 1e-12);
        assertEquals("5.00 ± 2.14 (n=8)", s.format(2));
    }

    @Test
    void oneValueShowsAloneAndNoneShowsADash() {
        assertEquals("89.7", Stats.of(List.of(89.7)).format(1));
        assertEquals("–", Stats.of(List.of()).format(2));
    }
}
