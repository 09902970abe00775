package io.cairn.api.option;

import io.cairn.api.error.InvalidConfigurationException;
import io.cairn.api.error.InvalidConfigurationException.Problem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The options a backend declares, in declaration order, and the validation of a cluster file's values
 * against them.
 */
public final class OptionDefinitions {

    private final Map<String, OptionDefinition> byName = new LinkedHashMap<>();

    private OptionDefinitions(Collection<OptionDefinition> definitions) {
        for (OptionDefinition definition : definitions) {
            if (byName.put(definition.name(), definition) != null) {
                throw new IllegalArgumentException("option " + definition.name() + " is declared twice");
            }
        }
    }

    public static OptionDefinitions of(OptionDefinition... definitions) {
        return new OptionDefinitions(List.of(definitions));
    }

    public static OptionDefinitions of(Collection<OptionDefinition> definitions) {
        return new OptionDefinitions(definitions);
    }

    /** Every declaration, in declaration order. */
    public List<OptionDefinition> all() {
        return List.copyOf(byName.values());
    }

    public Optional<OptionDefinition> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * Checks configuration values and applies defaults.
     *
     * @param raw values as read from a cluster file (text, numbers, booleans); {@code null} values
     *            count as not set
     * @return typed values, defaults included
     * @throws InvalidConfigurationException listing every unknown key, wrong value and missing required
     *         option; messages never contain the value of a secret option
     */
    public OptionValues validate(Map<String, ?> raw) {
        List<Problem> problems = new ArrayList<>();
        for (String key : raw.keySet()) {
            if (!byName.containsKey(key)) {
                problems.add(new Problem(key, unknownKeyReason(key)));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (OptionDefinition definition : byName.values()) {
            Object given = raw.get(definition.name());
            if (given == null) {
                if (definition.defaultValue() != null) {
                    values.put(definition.name(), definition.parse(definition.defaultValue()));
                } else if (definition.required()) {
                    problems.add(new Problem(definition.name(), "required, but not set"));
                }
                continue;
            }
            try {
                values.put(definition.name(), definition.parse(given));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(definition.name(), e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return new OptionValues(this, values);
    }

    private String unknownKeyReason(String key) {
        String closest = null;
        int best = Integer.MAX_VALUE;
        for (String name : byName.keySet()) {
            int distance = editDistance(key, name);
            if (distance < best) {
                best = distance;
                closest = name;
            }
        }
        String reason = "unknown option";
        if (closest != null && best <= 2) {
            reason += " (did you mean '" + closest + "'?)";
        }
        return reason + "; known options: " + String.join(", ", byName.keySet());
    }

    /** Levenshtein distance, for "did you mean" hints on misspelt keys. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
