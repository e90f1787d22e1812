package spsn.train;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import spsn.model.NeuronType;

/**
 * {@link RunSettings} as one flat JSON object, keyed by the flags' names without "--" (the
 * originals' PARAMS keys): each group's fields side by side, in the order of the groups and their
 * components. The CLI, checkpoints and PARAMS all go through it. Paths are written as given,
 * names as on the command line; numbers must be numbers and integers integers.
 */
public final class SettingsJson {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(module())
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // the other groups' keys are in the same object
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // a name's own message ("--neuron: unknown neuron ...") reaches the user as it is
            .disable(DeserializationFeature.WRAP_EXCEPTIONS)
            .build();

    private SettingsJson() {
    }

    /** Every setting by name, in schema order. */
    public static ObjectNode flat(RunSettings settings) {
        ObjectNode flat = JSON.createObjectNode();
        for (RecordComponent group : RunSettings.class.getRecordComponents()) {
            flat.setAll((ObjectNode) JSON.valueToTree(value(group, settings)));
        }
        return flat;
    }

    /** The names of the settings of {@code group}, one of RunSettings' groups, in order. */
    public static List<String> keys(Class<? extends Record> group) {
        List<String> keys = new ArrayList<>();
        Iterator<String> names = JSON.valueToTree(value(component(group), RunSettings.DEFAULT)).fieldNames();
        names.forEachRemaining(keys::add);
        return keys;
    }

    /** Every setting's name, in schema order. */
    public static List<String> keys() {
        List<String> keys = new ArrayList<>();
        flat(RunSettings.DEFAULT).fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /**
     * Settings from a flat object; absent settings (a file written before they existed) take their
     * defaults, names that are not settings are ignored.
     *
     * @throws IllegalArgumentException naming the setting that does not read
     * @throws spsn.SpsnException (usage) for a neuron, loss mode or selection that this tool lacks
     */
    public static RunSettings fromFlat(JsonNode given) {
        ObjectNode merged = flat(RunSettings.DEFAULT);
        if (given != null && given.isObject()) {
            merged.setAll((ObjectNode) given);
        }
        RecordComponent[] groups = RunSettings.class.getRecordComponents();
        Object[] values = new Object[groups.length];
        Class<?>[] types = new Class<?>[groups.length];
        for (int i = 0; i < groups.length; i++) {
            types[i] = groups[i].getType();
            try {
                values[i] = JSON.treeToValue(merged, types[i]);
            } catch (JsonProcessingException e) {
                String key = culprit(merged, groups[i]);
                throw new IllegalArgumentException(key + ": " + merged.get(key) + " is not a valid value ("
                        + firstLine(e.getOriginalMessage()) + ")", e);
            }
        }
        try {
            return RunSettings.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("RunSettings' canonical constructor", e);
        }
    }

    /** The setting of {@code group} that does not read: the first whose value alone, among the defaults, fails. */
    private static String culprit(ObjectNode merged, RecordComponent group) {
        ObjectNode defaults = JSON.valueToTree(value(group, RunSettings.DEFAULT));
        for (Iterator<String> names = defaults.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            ObjectNode one = defaults.deepCopy();
            one.set(key, merged.get(key));
            try {
                JSON.treeToValue(one, group.getType());
            } catch (JsonProcessingException | RuntimeException e) {
                return key;
            }
        }
        return group.getName();
    }

    /** A value as a JSON tree with the settings' conventions (paths as given, names as typed). */
    public static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }

    private static RecordComponent component(Class<?> group) {
        for (RecordComponent c : RunSettings.class.getRecordComponents()) {
            if (c.getType() == group) {
                return c;
            }
        }
        throw new IllegalArgumentException(group + " is not a group of RunSettings");
    }

    private static Object value(RecordComponent group, RunSettings settings) {
        try {
            return group.getAccessor().invoke(settings);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("").trim();
    }

    private static SimpleModule module() {
        SimpleModule m = new SimpleModule("spsn-settings");
        // A path as the user gave it (Jackson's default writes a file: URI).
        m.addSerializer(Path.class, new ToText<>(Path.class, Path::toString));
        m.addDeserializer(Path.class, new FromText<>(Path::of));
        named(m, NeuronType.class, NeuronType::cliName, NeuronType::fromCliName);
        named(m, LossMode.class, LossMode::cliName, LossMode::fromCliName);
        named(m, ModelSelection.class, ModelSelection::cliName, ModelSelection::fromCliName);
        return m;
    }

    private static <T> void named(SimpleModule m, Class<T> type, Function<T, String> name, Function<String, T> byName) {
        m.addSerializer(type, new ToText<>(type, name));
        m.addDeserializer(type, new FromText<>(byName));
    }

    private static final class ToText<T> extends StdSerializer<T> {
        private final transient Function<T, String> text;

        ToText(Class<T> type, Function<T, String> text) {
            super(type);
            this.text = text;
        }

        @Override
        public void serialize(T value, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeString(text.apply(value));
        }
    }

    private static final class FromText<T> extends JsonDeserializer<T> {
        private final Function<String, T> parse;

        FromText(Function<String, T> parse) {
            this.parse = parse;
        }

        @Override
        public T deserialize(JsonParser in, DeserializationContext context) throws IOException {
            if (!in.currentToken().isScalarValue() || !in.hasToken(com.fasterxml.jackson.core.JsonToken.VALUE_STRING)) {
                return context.reportInputMismatch(this, "expected text, got " + in.currentToken());
            }
            return parse.apply(in.getText());
        }
    }
}
