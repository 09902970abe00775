package io.cairn.api.option;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as operators write them: {@code 4096}, {@code 4KiB}, {@code 128MiB}, {@code 2GiB}, {@code 1T}.
 *
 * <p>Units are binary (powers of 1024), as in the {@code rbd} CLI: {@code K}/{@code KiB},
 * {@code M}/{@code MiB}, {@code G}/{@code GiB}, {@code T}/{@code TiB}, and {@code B} for bytes. The
 * decimal-looking {@code KB}, {@code MB}, {@code GB} are refused rather than guessed at.
 */
public final class ByteSize {

    private static final Pattern FORMAT = Pattern.compile("\\s*(\\d+)\\s*([A-Za-z]*)\\s*");
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private ByteSize() {
    }

    /**
     * Parses a size.
     *
     * @throws IllegalArgumentException with a message an operator understands
     */
    public static long parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 4096, 4KiB, 128MiB, 2GiB)");
        }
        long multiplier = multiplier(m.group(2), text);
        long number;
        try {
            number = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        if (number > Long.MAX_VALUE / multiplier) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return number * multiplier;
    }

    private static long multiplier(String unit, String text) {
        switch (unit.toLowerCase(Locale.ROOT)) {
            case "", "b":
                return 1L;
            case "k", "kib":
                return 1L << 10;
            case "m", "mib":
                return 1L << 20;
            case "g", "gib":
                return 1L << 30;
            case "t", "tib":
                return 1L << 40;
            case "p", "pib":
                return 1L << 50;
            case "kb", "mb", "gb", "tb", "pb":
                throw new IllegalArgumentException("'" + text + "': write binary units (KiB, MiB, GiB, TiB)"
                        + " so there is no doubt whether 1000 or 1024 is meant");
            default:
                throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + unit
                        + "' (use B, KiB, MiB, GiB or TiB)");
        }
    }

    /** The shortest exact form: {@code 134217728} gives {@code 128MiB}, {@code 1000} gives {@code 1000B}. */
    public static String format(long bytes) {
        int unit = 0;
        long value = bytes;
        while (value != 0 && value % 1024 == 0 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return value + UNITS[unit];
    }

    /** A rounded form for people: {@code 1.5 GiB}. */
    public static String human(long bytes) {
        double value = bytes;
        int unit = 0;
        while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
