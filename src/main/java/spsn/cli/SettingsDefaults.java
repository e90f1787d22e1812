package spsn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import spsn.train.RunSettings;

/**
 * The training flags' defaults, from the one place they are declared: {@link RunSettings#DEFAULT}.
 * A flag whose default depends on the neuron (null there) has none here.
 */
final class SettingsDefaults implements IDefaultValueProvider {

    private static final ObjectNode DEFAULTS = RunSettings.DEFAULT.flat();

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        JsonNode value = DEFAULTS.get(TrainOptionsValidator.settingName(option));
        if (value == null || value.isNull()) {
            return null;
        }
        // the command line's spelling of booleans, as the originals' argparse flags
        return value.isBoolean() ? (value.booleanValue() ? "True" : "False") : value.asText();
    }
}
