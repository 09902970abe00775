package io.cairn.api.option;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The type of an option value and how a configuration value (as YAML gives it: text, number or
 * boolean) becomes a typed Java value.
 */
public enum OptionType {

    /** Text; YAML numbers are taken as their text (a pool named {@code 123}). Java type: String. */
    STRING("text") {
        @Override
        Object parseValue(Object raw) {
            if (raw instanceof String || raw instanceof Number) {
                return raw.toString();
            }
            throw wrongType(raw);
        }
    },
    /** {@code true} or {@code false}. Java type: Boolean. */
    BOOLEAN("true or false") {
        @Override
        Object parseValue(Object raw) {
            if (raw instanceof Boolean) {
                return raw;
            }
            if (raw instanceof String text) {
                switch (text.trim().toLowerCase(Locale.ROOT)) {
                    case "true":
                        return Boolean.TRUE;
                    case "false":
                        return Boolean.FALSE;
                    default:
                        break;
                }
            }
            throw wrongType(raw);
        }
    },
    /** A whole number that fits in 32 bits. Java type: Integer. */
    INTEGER("a whole number") {
        @Override
        Object parseValue(Object raw) {
            BigInteger value;
            if (raw instanceof Integer || raw instanceof Long || raw instanceof BigInteger) {
                value = new BigInteger(raw.toString());
            } else if (raw instanceof String text && text.trim().matches("-?\\d+")) {
                value = new BigInteger(text.trim());
            } else {
                throw wrongType(raw);
            }
            if (value.bitLength() > 31) {
                throw new IllegalArgumentException(raw + " is too large");
            }
            return value.intValue();
        }
    },
    /** A size in bytes, with binary units: {@code 4096}, {@code 4KiB}, {@code 128MiB}. Java type: Long. */
    SIZE("a size such as 4KiB or 128MiB") {
        @Override
        Object parseValue(Object raw) {
            if (raw instanceof Integer || raw instanceof Long) {
                long bytes = ((Number) raw).longValue();
                if (bytes < 0) {
                    throw new IllegalArgumentException("a size cannot be negative");
                }
                return bytes;
            }
            if (raw instanceof String text) {
                return ByteSize.parse(text);
            }
            throw wrongType(raw);
        }
    },
    /** A duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}; a number is seconds. Java type: Duration. */
    DURATION("a duration such as 30s, 5m or 2h") {
        @Override
        Object parseValue(Object raw) {
            if (raw instanceof Integer || raw instanceof Long) {
                long seconds = ((Number) raw).longValue();
                if (seconds < 0) {
                    throw new IllegalArgumentException("a duration cannot be negative");
                }
                return Duration.ofSeconds(seconds);
            }
            if (raw instanceof String text) {
                return DurationText.parse(text);
            }
            throw wrongType(raw);
        }
    },
    /** A file system path. Java type: Path. */
    PATH("a file path") {
        @Override
        Object parseValue(Object raw) {
            if (raw instanceof String text && !text.isBlank()) {
                return Path.of(text.trim());
            }
            throw wrongType(raw);
        }
    },
    /** One of a declared list of words. Java type: String. */
    ENUM("one of the listed values") {
        @Override
        Object parseValue(Object raw) {
            if (raw instanceof String text) {
                return text.trim();
            }
            throw wrongType(raw);
        }
    };

    private final String expected;

    OptionType(String expected) {
        this.expected = expected;
    }

    /** What an operator must write, for error messages and generated documentation. */
    public String expected() {
        return expected;
    }

    /**
     * Converts a configuration value to this type.
     *
     * @throws IllegalArgumentException with a reason an operator understands
     */
    public Object parse(Object raw) {
        if (raw == null) {
            throw new IllegalArgumentException("no value given (expected " + expected + ")");
        }
        return parseValue(raw);
    }

    abstract Object parseValue(Object raw);

    IllegalArgumentException wrongType(Object raw) {
        String shown = raw instanceof String ? "'" + raw + "'" : String.valueOf(raw);
        return new IllegalArgumentException("expected " + expected + ", got " + shown);
    }
}
