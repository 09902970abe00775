package io.cairn.api.option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Validated, typed option values of one cluster, defaults applied. Made by
 * {@link OptionDefinitions#validate}; immutable.
 *
 * <p>{@link #toString()} and {@link #display(String)} mask secret options, so a session can log its
 * configuration safely.
 */
public final class OptionValues {

    private static final String HIDDEN = "[hidden]";

    private final OptionDefinitions definitions;
    private final Map<String, Object> values;

    OptionValues(OptionDefinitions definitions, Map<String, Object> values) {
        this.definitions = definitions;
        this.values = Map.copyOf(values);
    }

    /** The declarations these values were validated against. */
    public OptionDefinitions definitions() {
        return definitions;
    }

    /** Whether the option has a value (given, or by default). */
    public boolean isSet(String name) {
        declared(name);
        return values.containsKey(name);
    }

    public String string(String name) {
        return require(name, String.class);
    }

    public Optional<String> optionalString(String name) {
        return optional(name, String.class);
    }

    public boolean bool(String name) {
        return require(name, Boolean.class);
    }

    public int integer(String name) {
        return require(name, Integer.class);
    }

    /** A {@link OptionType#SIZE} option, in bytes. */
    public long size(String name) {
        return require(name, Long.class);
    }

    public Duration duration(String name) {
        return require(name, Duration.class);
    }

    public Path path(String name) {
        return require(name, Path.class);
    }

    public Optional<Path> optionalPath(String name) {
        return optional(name, Path.class);
    }

    /** The value as text for people, {@code [hidden]} for secrets, empty when not set. */
    public String display(String name) {
        OptionDefinition definition = declared(name);
        Object value = values.get(name);
        if (value == null) {
            return "";
        }
        if (definition.secret()) {
            return HIDDEN;
        }
        if (definition.type() == OptionType.SIZE) {
            return ByteSize.format((Long) value);
        }
        if (definition.type() == OptionType.DURATION) {
            return DurationText.format((Duration) value);
        }
        return value.toString();
    }

    /** Every set option as text for people, secrets masked, in declaration order. */
    public Map<String, String> displayAll() {
        Map<String, String> shown = new LinkedHashMap<>();
        for (OptionDefinition definition : definitions.all()) {
            if (values.containsKey(definition.name())) {
                shown.put(definition.name(), display(definition.name()));
            }
        }
        return shown;
    }

    @Override
    public String toString() {
        return displayAll().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private <T> T require(String name, Class<T> type) {
        return optional(name, type).orElseThrow(
                () -> new IllegalStateException("option " + name + " has no value and no default"));
    }

    private <T> Optional<T> optional(String name, Class<T> type) {
        declared(name);
        Object value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!type.isInstance(value)) {
            throw new IllegalStateException("option " + name + " is a " + value.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return Optional.of(type.cast(value));
    }

    private OptionDefinition declared(String name) {
        return definitions.find(name)
                .orElseThrow(() -> new IllegalArgumentException("option " + name + " is not declared"));
    }
}
