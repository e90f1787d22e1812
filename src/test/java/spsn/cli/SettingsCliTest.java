package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import spsn.train.RunSettings;
import spsn.train.SettingsJson;

/** The command line maps onto the settings schema by name, one option per setting, defaults from the schema. */
class SettingsCliTest {

    @Test
    void everyOptionIsASettingAndEverySettingAnOption() {
        TreeSet<String> options = new TreeSet<>();
        for (OptionSpec option : CommandSpec.forAnnotatedObject(new TrainOptions()).options()) {
            String name = TrainOptionsValidator.settingName(option);
            if (name != null && !option.longestName().equals("--shift")) {
                assertTrue(options.add(name), "two options for " + name);
            }
        }
        assertEquals(new TreeSet<>(SettingsJson.keys()), options);
    }

    @Test
    void noFlagsGiveTheSchemasDefaults() {
        Main main = new Main();
        Main.parser(main).parseArgs();
        assertEquals(RunSettings.DEFAULT, TrainOptionsValidator.settings(main.options));
    }

    @Test
    void flagsLandInTheirSettings() {
        RunSettings s = TrainingFlags.check(List.of("--dataset", "shd", "--neuron", "spsn-gs", "--shift", "0.2",
                "--recurrent", "--surrogate_scale", "3", "--valid_fraction", "0.1", "--progress", "False",
                "--output_dir", "o", "--dir", "d/"));
        assertEquals("heidelberg", s.data().dataset(), "the canonical name");
        assertEquals("SPSN-GS", s.network().neuron().cliName());
        assertEquals(0.2, s.augmentation().shift());
        assertEquals(0.3, s.augmentation().scale(), "SPSN's default, resolved");
        assertTrue(s.network().recurrent());
        assertEquals(3.0, s.neuron().surrogateScale());
        assertEquals(0.1, s.validation().fraction());
        assertEquals(false, s.session().progress());
        assertEquals(java.nio.file.Path.of("o", "d/"), s.runDir());
        assertTrue(Objects.isNull(s.neuron().spkThreshold()), "not given: the neuron's own");
    }
}
