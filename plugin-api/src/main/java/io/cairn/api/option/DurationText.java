package io.cairn.api.option;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}.
 * A bare number means seconds.
 */
public final class DurationText {

    private static final Pattern FORMAT = Pattern.compile("\\s*(\\d+)\\s*([A-Za-z]*)\\s*");

    private DurationText() {
    }

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException with a message an operator understands
     */
    public static Duration parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 500ms, 30s, 5m, 2h, 7d)");
        }
        long number;
        try {
            number = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        try {
            switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "ms":
                    return Duration.ofMillis(number);
                case "", "s":
                    return Duration.ofSeconds(number);
                case "m", "min":
                    return Duration.ofMinutes(number);
                case "h":
                    return Duration.ofHours(number);
                case "d":
                    return Duration.ofDays(number);
                case "w":
                    return Duration.ofDays(Math.multiplyExact(number, 7L));
                default:
                    throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + m.group(2)
                            + "' (use ms, s, m, h, d or w)");
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }

    /** The shortest exact form: 90 seconds give {@code 90s}, 2 hours give {@code 2h}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        if (seconds != 0 && seconds % 86400 == 0) {
            return seconds / 86400 + "d";
        }
        if (seconds != 0 && seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds != 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
