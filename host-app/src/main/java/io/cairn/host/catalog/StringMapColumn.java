package io.cairn.host.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/**
 * A map of strings stored as one JSON text column (labels, service metadata): portable between
 * H2 and PostgreSQL, and readable with any SQL client.
 */
final class StringMapColumn {

    private static final ObjectMapper JSON = new ObjectMapper();

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

    /**
     * Reads the column with Jackson's streaming parser rather than its object mapper: a listing reads two such
     * columns per row, 200,000 for 100,000 backups, and the mapper's generic map reading cost as much as the rest
     * of the row. The same texts are accepted: an object whose values are strings or other scalars (read as their
     * text) or null.
     */
    static Map<String, String> read(String text, String column, String backupId) {
        if (text.equals("{}")) {
            return Map.of();
        }
        try (JsonParser parser = JSON.getFactory().createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw notAnObject(column, backupId, "it does not start with '{'", null);
            }
            TreeMap<String, String> map = new TreeMap<>();
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                String key = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    throw notAnObject(column, backupId, "the value of '" + key + "' is not a string", null);
                }
                map.put(key, value == JsonToken.VALUE_NULL ? null : parser.getText());
            }
            if (parser.nextToken() != null) {
                throw notAnObject(column, backupId, "text follows the object", null);
            }
            return map;
        } catch (JsonProcessingException e) {
            throw notAnObject(column, backupId, e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static IllegalStateException notAnObject(String column, String backupId, String why, Exception cause) {
        return new IllegalStateException("column " + column + " of backup " + backupId + " is not a JSON object of"
                + " strings: " + why, cause);
    }
}
