package io.cairn.host.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NameGlobTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "web-*,      web-1,        true",
        "web-*,      web-,         true",
        "web-*,      web,          false",
        "web-*,      xweb-1,       false",
        "*,          anything,     true",
        "*-db,       prod-db,      true",
        "*-db,       prod-db-2,    false",
        "db?,        db1,          true",
        "db?,        db12,         false",
        "db?,        db,           false",
        "db[12],     db1,          true",
        "db[12],     db3,          false",
        "db[0-9],    db7,          true",
        "db[0-9],    dbx,          false",
        "db[!0-9],   dbx,          true",
        "db[!0-9],   db7,          false",
        "db[a-],     db-,          true",
        "db[-a],     db-,          true",
        "db.1,       db.1,         true",
        "db.1,       dbx1,         false",
        "vm(1),      vm(1),        true",
        "a+b,        a+b,          true",
        "a+b,        aab,          false",
        "x$^,        x$^,          true",
        "volume-*-disk?,  volume-42-disk1, true",
        "volume-*-disk?,  volume-42-disk,  false",
    })
    void matchesTheWholeName(String pattern, String name, boolean expected) {
        assertEquals(expected, NameGlob.compile(pattern).matches(name));
    }

    @ParameterizedTest
    @CsvSource({"'', empty", "db[12, not closed", "db[], empty set", "db[!], empty set"})
    void malformedPatternsSayWhy(String pattern, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NameGlob.compile(pattern));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"web-*, true", "db?, true", "db[1], true", "db1, false", "db-1.img, false"})
    void patternsAreToldFromNames(String text, boolean pattern) {
        assertEquals(pattern, NameGlob.isPattern(text));
    }

    @ParameterizedTest
    @CsvSource({"web-*", "db?"})
    void equalPatternsAreEqual(String text) {
        assertEquals(NameGlob.compile(text), NameGlob.compile(text));
        assertEquals(NameGlob.compile(text).hashCode(), NameGlob.compile(text).hashCode());
        assertEquals(text, NameGlob.compile(text).toString());
        assertFalse(NameGlob.compile(text).equals(NameGlob.compile(text + "x")));
    }
}
