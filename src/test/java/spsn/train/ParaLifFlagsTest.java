package spsn.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** ParaLIF's flag group reads back as written, and a checkpoint from before it existed reads as the defaults. */
class ParaLifFlagsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void roundTripsThroughItsMap() {
        ParaLifFlags flags = new ParaLifFlags(true, true, true, 0.1, 2e-3, 0.01, 0.5, "atan", 3.0, true, 4e-3, true);
        assertEquals(flags, ParaLifFlags.fromJson(JSON.valueToTree(flags.asMap())));
        assertEquals(true, flags.asMap().get("per_neuron"));
        assertEquals(true, flags.neuronOptions().perNeuron());
    }

    @Test
    void missingFlagsTakeTheirDefaults() throws Exception {
        assertEquals(ParaLifFlags.DEFAULT, ParaLifFlags.fromJson(null), "a checkpoint written before these flags");
        ParaLifFlags partial = ParaLifFlags.fromJson(JSON.readTree("{\"recurrent\": true, \"lr\": 0.01}"));
        assertEquals(true, partial.recurrent());
        assertEquals(0.01, partial.lr());
        assertEquals(ParaLifFlags.DEFAULT.windowSize(), partial.windowSize());
        assertEquals("fastsig", partial.surrogate());
        assertEquals(false, partial.perNeuron(), "one threshold and decay pair per layer unless saved otherwise");
    }
}
