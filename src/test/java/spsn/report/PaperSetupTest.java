package spsn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaperSetupTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static PaperSetup.Classification classify(String neuron, String params) throws Exception {
        JsonNode node = JSON.readTree(params);
        return PaperSetup.classify(neuron, node);
    }

    @Test
    void columnFollowsAugmentationAndRegularisation() throws Exception {
        assertEquals(Configuration.BASIC, classify("LIF", "{\"data_augmentation\": false, \"reg_thr\": 0.0}").config());
        assertEquals(Configuration.DATA_AUGMENTATION,
                classify("LIF", "{\"data_augmentation\": true, \"reg_thr\": 0}").config());
        assertEquals(Configuration.DATA_AUGMENTATION_REGULARIZATION,
                classify("SPSN-GS", "{\"data_augmentation\": \"True\", \"reg_thr\": 0.1}").config());
        // The original's other runs never set these keys: absent means the default.
        assertEquals(Configuration.BASIC, classify("SPSN-SB", "{}").config());
    }

    @Test
    void settingsOutsideThePapersGoToOther() throws Exception {
        assertEquals(new PaperSetup.Classification(Configuration.OTHER,
                        List.of("reg_thr 0.4 without data augmentation")),
                classify("SPSN-SB", "{\"data_augmentation\": false, \"reg_thr\": 0.4}"));
        assertEquals(List.of("hidden_size 64 (paper 128)", "tau_mem 0.05 (paper 0.02)", "loss_mode last (paper mean)"),
                classify("LIF", "{\"hidden_size\": 64, \"tau_mem\": 0.05, \"loss_mode\": \"last\"}").deviations());
        assertEquals(List.of("neuron ALIF is not one of LIF, SPSN-SB, SPSN-GS, Non-Spiking"),
                classify("ALIF", "{}").deviations());
        // The augmentation strength matters only when augmentation is on.
        assertEquals(Configuration.BASIC, classify("LIF", "{\"h_shift\": 0.2}").config());
        assertEquals(List.of("h_shift 0.2 (paper 0.1)"),
                classify("LIF", "{\"h_shift\": 0.2, \"data_augmentation\": true}").deviations());
    }
}
