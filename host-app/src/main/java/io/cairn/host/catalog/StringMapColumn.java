package io.cairn.host.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/**
 * A map of strings stored as one JSON text column (labels, service metadata): portable between
 * H2 and PostgreSQL, and readable with any SQL client.
 */
final class StringMapColumn {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> TYPE = new TypeReference<>() { };

    private StringMapColumn() {
    }

    static String write(Map<String, String> map) {
        try {
            // Sorted, so equal maps are equal text.
            return JSON.writeValueAsString(new TreeMap<>(map));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a map of strings as JSON", e);
        }
    }

    static Map<String, String> read(String text, String column, String backupId) {
        if (text.equals("{}")) {
            return Map.of();
        }
        try {
            return JSON.readValue(text, TYPE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("column " + column + " of backup " + backupId + " is not a JSON object of"
                    + " strings: " + e.getOriginalMessage(), e);
        }
    }
}
