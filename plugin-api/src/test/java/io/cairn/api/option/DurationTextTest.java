package io.cairn.api.option;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

    @ParameterizedTest
    @CsvSource({"500ms, 500", "30, 30000", "30s, 30000", "5m, 300000", "5min, 300000", "2h, 7200000",
        "7d, 604800000", "1w, 604800000", "' 10 s ', 10000", "0s, 0"})
    void parses(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), DurationText.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "-5s", "1.5h", "5 fortnights", "99999999999999999999s"})
    void refuses(String text) {
        assertThrows(IllegalArgumentException.class, () -> DurationText.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"500, 500ms", "30000, 30s", "90000, 90s", "300000, 5m", "7200000, 2h", "604800000, 7d", "0, 0s"})
    void formatsAndReadsBack(long millis, String text) {
        assertEquals(text, DurationText.format(Duration.ofMillis(millis)));
        assertEquals(Duration.ofMillis(millis), DurationText.parse(text));
    }
}
