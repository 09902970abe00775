package io.cairn.host.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.api.operation.VerifyResult.DamagedRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Lists stored as one JSON text column: damaged ranges, notes. */
final class JsonColumns {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<List<Map<String, Object>>> OBJECTS = new TypeReference<>() { };

    private JsonColumns() {
    }

    static String strings(List<String> values) {
        return write(values);
    }

    static List<String> strings(String text) {
        try {
            return JSON.readValue(text, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not a JSON array of strings: " + e.getOriginalMessage(), e);
        }
    }

    static String ranges(List<DamagedRange> ranges) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (DamagedRange range : ranges) {
            rows.add(Map.of("offset", range.offset(), "length", range.length(), "problem", range.problem()));
        }
        return write(rows);
    }

    static List<DamagedRange> ranges(String text) {
        try {
            List<DamagedRange> ranges = new ArrayList<>();
            for (Map<String, Object> row : JSON.readValue(text, OBJECTS)) {
                ranges.add(new DamagedRange(((Number) row.get("offset")).longValue(),
                        ((Number) row.get("length")).longValue(), String.valueOf(row.get("problem"))));
            }
            return ranges;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not a JSON array of damaged ranges: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
