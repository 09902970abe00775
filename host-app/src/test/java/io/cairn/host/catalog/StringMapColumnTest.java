package io.cairn.host.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StringMapColumnTest {

    @Test
    void readsWhatItWrites() {
        Map<String, String> map = Map.of("schedule", "nightly", "base", "vm-1.backup.\"x\"", "empty", "", "\u00e9", "\\n");
        String text = StringMapColumn.write(map);
        assertEquals(map, StringMapColumn.read(text, "labels", "b1"));
        assertEquals(Map.of(), StringMapColumn.read("{}", "labels", "b1"));
        assertEquals(Map.of(), StringMapColumn.read(" { } ", "labels", "b1"));
    }

    @Test
    void writesCompactJsonWithSortedKeysAsTheCatalogAlwaysHeld() {
        Map<String, String> map = new HashMap<>(Map.of("b", "x\"y", "a", "\u00e9\t"));
        map.put("c", null);
        assertEquals("{\"a\":\"\u00e9\\t\",\"b\":\"x\\\"y\",\"c\":null}", StringMapColumn.write(map));
        assertEquals("{}", StringMapColumn.write(Map.of()));
    }

    @Test
    void readsScalarValuesAsTheirText() {
        assertEquals(Map.of("n", "5", "b", "true", "s", "x"),
                StringMapColumn.read("{\"n\": 5, \"b\": true, \"s\": \"x\"}", "labels", "b1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"text\"", "{\"a\": {}}", "{\"a\": []}", "{\"a\": \"x\"", "{\"a\": \"x\"} {}", "not json"})
    void refusesWhatIsNotAnObjectOfStringsNamingColumnAndBackup(String text) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> StringMapColumn.read(text, "service_metadata", "b42"));
        assertTrue(e.getMessage().startsWith("column service_metadata of backup b42 is not a JSON object of strings"),
                e.getMessage());
    }
}
