package io.cairn.host.cli;

import io.cairn.api.option.ByteSize;
import io.cairn.api.option.OptionDefinition;
import io.cairn.api.option.OptionDefinitions;
import io.cairn.api.option.OptionType;
import java.util.List;
import java.util.Locale;

/**
 * Option declarations as documentation: the {@code plugins} listing, its JSON, and the Markdown
 * reference tables in the docs are all generated from what the backend (or the host) declared.
 */
final class OptionDocs {

    private OptionDocs() {
    }

    /** {@code size (bytes)}, {@code enum: native, rbd-cli}. */
    static String type(OptionDefinition option) {
        String type = option.type().name().toLowerCase(Locale.ROOT);
        if (option.type() == OptionType.ENUM) {
            type += ": " + String.join(" | ", option.allowedValues());
        }
        if (!option.unit().isEmpty()) {
            type += " (" + option.unit() + ")";
        }
        return type;
    }

    /** The default, {@code required}, or {@code -}; a secret's default is never shown. */
    static String defaultText(OptionDefinition option) {
        if (option.required()) {
            return "required";
        }
        if (option.defaultValue() == null) {
            return "-";
        }
        return option.secret() ? "[hidden]" : option.defaultValue();
    }

    /** A Markdown table of every option, in declaration order. */
    static String markdown(OptionDefinitions options) {
        StringBuilder text = new StringBuilder("| option | type | default | description |\n| --- | --- | --- | --- |\n");
        for (OptionDefinition option : options.all()) {
            String defaultText = defaultText(option);
            text.append("| `").append(option.name()).append("` | ").append(cell(type(option))).append(" | ")
                    .append(defaultText.equals("-") ? "" : "`" + cell(defaultText) + "`").append(" | ")
                    .append(cell(option.documentation() + range(option) + (option.secret() ? " (Secret.)" : "")))
                    .append(" |\n");
        }
        return text.toString();
    }

    /** {@code  Range: 64KiB to 1GiB.}, {@code  At least 0.}, or nothing. */
    static String range(OptionDefinition option) {
        if (option.minimum() == null && option.maximum() == null) {
            return "";
        }
        if (option.maximum() == null) {
            return " At least " + bound(option, option.minimum()) + ".";
        }
        if (option.minimum() == null) {
            return " At most " + bound(option, option.maximum()) + ".";
        }
        return " Range: " + bound(option, option.minimum()) + " to " + bound(option, option.maximum()) + ".";
    }

    private static String bound(OptionDefinition option, long value) {
        return option.type() == OptionType.SIZE ? ByteSize.format(value) : Long.toString(value);
    }

    /** Pipes would end the table cell. */
    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    /** One option in {@code plugins --json}. */
    record OptionView(String name, String type, String defaultValue, boolean required, boolean secret, String unit,
            String documentation, List<String> allowedValues, Long minimum, Long maximum) {

        static OptionView of(OptionDefinition option) {
            return new OptionView(option.name(), option.type().name().toLowerCase(Locale.ROOT),
                    option.secret() && option.defaultValue() != null ? "[hidden]" : option.defaultValue(),
                    option.required(), option.secret(), option.unit(), option.documentation(), option.allowedValues(),
                    option.minimum(), option.maximum());
        }
    }
}
