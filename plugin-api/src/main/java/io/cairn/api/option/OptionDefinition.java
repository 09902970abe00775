package io.cairn.api.option;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One declared option: everything the host needs to parse, validate, document and mask it.
 *
 * <p>Declared once by the backend; the host's validation, error messages and the README's option
 * table all come from this declaration. Build with {@link #builder(String, OptionType)}.
 *
 * @param name          lowercase with underscores, as written in cluster files
 * @param type          the value's type
 * @param defaultValue  the default as an operator would write it, or {@code null} when there is none
 * @param required      whether a cluster file must set it (only meaningful without a default)
 * @param secret        a secret (key, password, keyring contents): never logged or printed
 * @param unit          what the number means, for documentation ({@code bytes}, {@code seconds}); may be empty
 * @param documentation what the option does, for operators
 * @param allowedValues for {@link OptionType#ENUM}, the accepted words; empty otherwise
 * @param minimum       the smallest accepted value for INTEGER and SIZE options, or {@code null}
 * @param maximum       the largest accepted value for INTEGER and SIZE options, or {@code null}
 */
public record OptionDefinition(
        String name,
        OptionType type,
        String defaultValue,
        boolean required,
        boolean secret,
        String unit,
        String documentation,
        List<String> allowedValues,
        Long minimum,
        Long maximum) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    public OptionDefinition {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(type, "type is null");
        Objects.requireNonNull(unit, "unit is null");
        Objects.requireNonNull(documentation, "documentation is null");
        allowedValues = List.copyOf(Objects.requireNonNull(allowedValues, "allowedValues is null"));
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("option name '" + name + "' must be lowercase words joined by '_'");
        }
        if (documentation.isBlank()) {
            throw new IllegalArgumentException("option " + name + " has no documentation");
        }
        if (type == OptionType.ENUM && allowedValues.isEmpty()) {
            throw new IllegalArgumentException("enum option " + name + " lists no allowed values");
        }
        if (type != OptionType.ENUM && !allowedValues.isEmpty()) {
            throw new IllegalArgumentException("only enum options list allowed values: " + name);
        }
        if ((minimum != null || maximum != null) && type != OptionType.INTEGER && type != OptionType.SIZE) {
            throw new IllegalArgumentException("only integer and size options have bounds: " + name);
        }
        if (required && defaultValue != null) {
            throw new IllegalArgumentException("option " + name + " is required and has a default; pick one");
        }
    }

    /**
     * Parses and checks one value.
     *
     * @return the typed value (see {@link OptionType} for the Java type of each)
     * @throws IllegalArgumentException with a reason fit for an operator; never containing the value
     *         of a secret option
     */
    public Object parse(Object raw) {
        Object value;
        try {
            value = type.parse(raw);
        } catch (IllegalArgumentException e) {
            throw secret ? new IllegalArgumentException("expected " + type.expected()) : e;
        }
        if (type == OptionType.ENUM && !allowedValues.contains(value)) {
            throw new IllegalArgumentException("'" + value + "' is not one of " + String.join(", ", allowedValues));
        }
        if (value instanceof Number number) {
            long n = number.longValue();
            if (minimum != null && n < minimum) {
                throw new IllegalArgumentException(show(n) + " is below the minimum " + show(minimum));
            }
            if (maximum != null && n > maximum) {
                throw new IllegalArgumentException(show(n) + " is above the maximum " + show(maximum));
            }
        }
        return value;
    }

    private String show(long n) {
        return type == OptionType.SIZE ? ByteSize.format(n) : Long.toString(n);
    }

    /** Starts a declaration. */
    public static Builder builder(String name, OptionType type) {
        return new Builder(name, type);
    }

    /** Builds an {@link OptionDefinition}; only name, type and documentation are needed. */
    public static final class Builder {
        private final String name;
        private final OptionType type;
        private String defaultValue;
        private boolean required;
        private boolean secret;
        private String unit = "";
        private String documentation = "";
        private List<String> allowedValues = List.of();
        private Long minimum;
        private Long maximum;

        private Builder(String name, OptionType type) {
            this.name = name;
            this.type = type;
        }

        public Builder defaultValue(String value) {
            this.defaultValue = value;
            return this;
        }

        public Builder required() {
            this.required = true;
            return this;
        }

        public Builder secret() {
            this.secret = true;
            return this;
        }

        public Builder unit(String value) {
            this.unit = value;
            return this;
        }

        public Builder doc(String value) {
            this.documentation = value;
            return this;
        }

        public Builder allowedValues(String... values) {
            this.allowedValues = List.of(values);
            return this;
        }

        public Builder minimum(long value) {
            this.minimum = value;
            return this;
        }

        public Builder maximum(long value) {
            this.maximum = value;
            return this;
        }

        public OptionDefinition build() {
            OptionDefinition definition = new OptionDefinition(name, type, defaultValue, required, secret, unit,
                    documentation, allowedValues, minimum, maximum);
            if (defaultValue != null) {
                // A default that does not parse is a bug in the backend, found when it loads.
                definition.parse(defaultValue);
            }
            return definition;
        }
    }
}
