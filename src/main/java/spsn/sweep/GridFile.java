package spsn.sweep;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import spsn.SpsnException;

/**
 * Reads a grid file, YAML or JSON (JSON is YAML too, so one reader takes both):
 *
 * <pre>
 * flags:                 # given to every run
 *   dataset: synthetic
 *   nb_epochs: 20
 * axes:                  # combined in every way, the first axis varying slowest
 *   neuron: [SPSN-SB, SPSN-GS]
 *   data_augmentation: [False, True]
 *   setting:             # an axis of labelled bundles of flags
 *     - {name: plain}
 *     - {name: reg, reg_thr: 0.1}
 * </pre>
 *
 * Flag names are the training command's, with or without the leading {@code --}; YAML's
 * true/false are written True/False as the training flags take them.
 */
final class GridFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TOP_LEVEL = Set.of("flags", "axes");
    private static final String LABEL = "name";

    private GridFile() {
    }

    static Grid read(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw SpsnException.data("grid file " + file + " does not exist; give a YAML or JSON grid file or --paper");
        } catch (JacksonException e) {
            throw SpsnException.usage("grid file " + file + " is not valid YAML or JSON: "
                    + e.getOriginalMessage().replace('\n', ' '));
        } catch (IOException e) {
            throw SpsnException.data("cannot read grid file " + file + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw bad(file, "must be a mapping with 'flags' and 'axes'");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!TOP_LEVEL.contains(name)) {
                throw bad(file, "unknown key '" + name + "'; a grid has 'flags' (fixed) and 'axes' (varied)");
            }
        }
        List<Flag> fixed = root.has("flags") ? flags(file, "flags", root.get("flags"), false) : List.of();
        List<Grid.Axis> axes = new ArrayList<>();
        JsonNode axesNode = root.path("axes");
        if (!axesNode.isMissingNode() && !axesNode.isNull() && !axesNode.isObject()) {
            throw bad(file, "'axes' must map each axis name to a list of values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = axesNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            axes.add(axis(file, Flag.bare(entry.getKey()), entry.getValue()));
        }
        return new Grid(fixed, List.copyOf(axes));
    }

    private static Grid.Axis axis(Path file, String name, JsonNode values) {
        if (!values.isArray() || values.isEmpty()) {
            throw bad(file, "axis " + name + " must be a non-empty list of values");
        }
        List<Grid.Value> list = new ArrayList<>();
        int i = 0;
        for (JsonNode value : values) {
            if (value.isObject()) {
                JsonNode label = value.get(LABEL);
                String text = label != null && label.isValueNode() ? label.asText() : name + i;
                list.add(new Grid.Value(text, flags(file, "axis " + name, value, true)));
            } else if (value.isValueNode() && !value.isNull()) {
                String text = scalar(value);
                list.add(new Grid.Value(name + "-" + text, List.of(new Flag(name, text))));
            } else {
                throw bad(file, "axis " + name + ": value " + (i + 1) + " must be a value or a mapping of flags");
            }
            i++;
        }
        return new Grid.Axis(name, List.copyOf(list));
    }

    private static List<Flag> flags(Path file, String where, JsonNode node, boolean skipLabel) {
        if (node.isNull()) {
            return List.of();
        }
        if (!node.isObject()) {
            throw bad(file, where + " must map flag names to values");
        }
        List<Flag> flags = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (skipLabel && entry.getKey().equals(LABEL)) {
                continue;
            }
            JsonNode value = entry.getValue();
            if (!value.isValueNode() || value.isNull()) {
                throw bad(file, where + ": flag " + entry.getKey() + " needs a single value");
            }
            flags.add(new Flag(Flag.bare(entry.getKey()), scalar(value)));
        }
        return List.copyOf(flags);
    }

    /** A value as the command line writes it; booleans in the original's True/False. */
    private static String scalar(JsonNode value) {
        if (value.isBoolean()) {
            return value.booleanValue() ? "True" : "False";
        }
        return value.asText();
    }

    private static SpsnException bad(Path file, String what) {
        return SpsnException.usage("grid file " + file + ": " + what);
    }
}
