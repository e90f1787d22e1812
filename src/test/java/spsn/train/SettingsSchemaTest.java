package spsn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import spsn.SpsnException;
import spsn.cli.TrainingFlags;

/**
 * The one settings schema: PARAMS as today's main wrote them (byte for byte, fixtures in
 * resources/settings/params written by the code before the schema), PARAMS and the flat form
 * read back into the same settings, and bad values named by their setting.
 */
class SettingsSchemaTest {

    /** As ResultsFile writes results. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final RunInfo INFO = new RunInfo("test", "cpu", 700, List.of("a", "b", "c"));

    static Stream<Arguments> cases() {
        return Stream.of(SettingsCases.CASES).map(c -> Arguments.of(c[0], List.of(c).subList(1, c.length)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void paramsAreTodaysByteForByte(String name, List<String> flags) throws IOException {
        RunSettings settings = TrainingFlags.check(flags);
        assertEquals(resource("params/" + name + ".json"), JSON.writeValueAsString(ResultsFile.params(settings, INFO)));
    }

    /** CLI -> settings -> PARAMS (as text) -> the report's reader -> the same settings, the session's aside. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void paramsReadBackAsTheSameSettings(String name, List<String> flags) throws IOException {
        RunSettings settings = TrainingFlags.check(flags);
        JsonNode written = JSON.readTree(JSON.writeValueAsString(Params.write(settings, INFO)));
        RunSettings expected = new RunSettings(settings.data(), settings.augmentation(), settings.network(),
                settings.neuron(), settings.training(), settings.validation(), settings.output(),
                        SessionSettings.DEFAULT);
        assertEquals(expected, Params.read(written));
    }

    /** The checkpoint's form: every setting, the session's too. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theFlatFormReadsBackWhole(String name, List<String> flags) throws IOException {
        RunSettings settings = TrainingFlags.check(flags);
        assertEquals(settings, RunSettings.fromFlat(JSON.readTree(JSON.writeValueAsString(settings.flat()))));
    }

    @Test
    void everySettingHasItsOwnName() {
        List<String> keys = SettingsJson.keys();
        assertEquals(keys.size(), new HashSet<>(keys).size(), "two groups would share a name in the flat form: "
                + keys);
        assertTrue(keys.containsAll(List.of("seed", "neuron", "h_shift", "window_size", "select", "output_dir")), keys.toString());
    }

    @Test
    void absentSettingsTakeTheirDefaults() throws IOException {
        assertEquals(RunSettings.DEFAULT, RunSettings.fromFlat(JSON.readTree("{}")));
        RunSettings some = RunSettings.fromFlat(JSON.readTree("{\"recurrent\": true, \"lr\": 0.01, \"debug\": false}"));
        assertTrue(some.network().recurrent());
        assertEquals(0.01, some.training().lr());
        assertEquals(TrainingSettings.DEFAULT.batchSize(), some.training().batchSize());
    }

    @Test
    void aBadValueNamesItsSetting() throws IOException {
        for (String json : List.of("{\"batch_size\": \"64\"}", "{\"batch_size\": 1.5}", "{\"batch_size\": null}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RunSettings.fromFlat(JSON.readTree(json)), json);
            assertTrue(e.getMessage().startsWith("batch_size: "), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunSettings.fromFlat(JSON.readTree("{\"progress\": 1}")));
        assertTrue(e.getMessage().startsWith("progress: 1 "), e.getMessage());
        SpsnException neuron = assertThrows(SpsnException.class,
                () -> RunSettings.fromFlat(JSON.readTree("{\"neuron\": \"Nope\"}")));
        assertTrue(neuron.getMessage().contains("unknown neuron 'Nope'"), neuron.getMessage());
    }

    @Test
    void paramsOfTheOriginalsRead() throws IOException {
        // SPSN's run.py (booleans as Python wrote some of them) and ParaLIF's ("shift", its threshold)
        RunSettings spsn = Params.read(JSON.readTree("{\"seed\": 0, \"neuron\": \"SPSN-SB\", \"data_augmentation\":"
                + " \"True\", \"h_shift\": 0.1, \"scale\": 0.3, \"debug\": false, \"input_size\": 700}"));
        assertTrue(spsn.augmentation().enabled());
        assertEquals("heidelberg", spsn.data().dataset());
        RunSettings paraLif = Params.read(JSON.readTree("{\"neuron\": \"ParaLIF-SD\", \"shift\": 0.05,"
                + " \"spk_threshold\": 0.1, \"scheduler\": false}"));
        assertEquals(0.05, paraLif.augmentation().shift());
        assertEquals(null, paraLif.neuron().spkThreshold(), "the neuron's own threshold: not given");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SettingsSchemaTest.class.getResourceAsStream("/settings/" + name)) {
            assertTrue(in != null, "resource settings/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
