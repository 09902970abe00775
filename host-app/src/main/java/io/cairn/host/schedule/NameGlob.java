package io.cairn.host.schedule;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A shell-style pattern for volume names, as operators write them in schedules ({@code web-*}):
 * {@code *} matches any run of characters, {@code ?} one character, {@code [abc]} and {@code [a-z]}
 * one of a set, {@code [!abc]} one character not in it. Everything else matches itself; there is no
 * escaping: a name holding one of these characters can still be named on its own, just not matched by
 * a pattern for it. A pattern always matches the whole name (within its namespace, see
 * {@link VolumeSelector}).
 */
public final class NameGlob {

    private final String text;
    private final Pattern regex;

    private NameGlob(String text, Pattern regex) {
        this.text = text;
        this.regex = regex;
    }

    /**
     * @throws IllegalArgumentException when the pattern is empty or a {@code [} set is not closed
     *         or empty, with a message saying where
     */
    public static NameGlob compile(String text) {
        Objects.requireNonNull(text, "text is null");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("an empty pattern matches nothing");
        }
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '[' -> {
                    int close = text.indexOf(']', i + 1);
                    boolean negated = close > i + 1 && text.charAt(i + 1) == '!';
                    int first = negated ? i + 2 : i + 1;
                    if (close < 0) {
                        throw new IllegalArgumentException("'[' at position " + (i + 1) + " is not closed by ']'");
                    }
                    if (close == first) {
                        throw new IllegalArgumentException("'[" + (negated ? "!" : "") + "]' at position " + (i + 1)
                                + " is an empty set");
                    }
                    regex.append(negated ? "[^" : "[");
                    for (int j = first; j < close; j++) {
                        char member = text.charAt(j);
                        // A '-' between two members is a range; anything else is taken literally.
                        boolean range = member == '-' && j > first && j < close - 1;
                        regex.append(range ? "-" : Pattern.quote(String.valueOf(member)));
                    }
                    regex.append(']');
                    i = close;
                }
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
            i++;
        }
        return new NameGlob(text, Pattern.compile(regex.toString()));
    }

    /** Whether {@code text} holds a pattern character, so that it is a pattern rather than a name. */
    public static boolean isPattern(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0;
    }

    /** Whether the whole of {@code name} matches. */
    public boolean matches(String name) {
        return regex.matcher(name).matches();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NameGlob glob && glob.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The pattern as written. */
    @Override
    public String toString() {
        return text;
    }
}
