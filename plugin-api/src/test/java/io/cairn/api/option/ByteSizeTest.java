package io.cairn.api.option;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0", "4096, 4096", "1B, 1", "4K, 4096", "4KiB, 4096", "4kib, 4096", "128MiB, 134217728",
        "128M, 134217728", "2GiB, 2147483648", "1T, 1099511627776", "1TiB, 1099511627776",
        "' 64 MiB ', 67108864", "1PiB, 1125899906842624"})
    void parsesBinaryUnits(String text, long bytes) {
        assertEquals(bytes, ByteSize.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MiB", "-1", "1.5GiB", "12 apples", "1e6", "0x10"})
    void refusesWhatIsNotASize(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(text));
        assertTrue(e.getMessage().contains(text.isEmpty() ? "''" : text.trim()), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1KB", "128MB", "2GB", "1tb"})
    void refusesAmbiguousDecimalUnits(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(text));
        assertTrue(e.getMessage().contains("binary units"), e.getMessage());
    }

    @Test
    void refusesOverflow() {
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("9999999999999PiB"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("99999999999999999999"));
    }

    @ParameterizedTest
    @CsvSource({"0, 0B", "1000, 1000B", "4096, 4KiB", "134217728, 128MiB", "1536, 1536B", "3221225472, 3GiB"})
    void formatsExactly(long bytes, String text) {
        assertEquals(text, ByteSize.format(bytes));
        assertEquals(bytes, ByteSize.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"512, 512 B", "1536, 1.5 KiB", "1073741824, 1.0 GiB"})
    void formatsForPeople(long bytes, String text) {
        assertEquals(text, ByteSize.human(bytes));
    }
}
