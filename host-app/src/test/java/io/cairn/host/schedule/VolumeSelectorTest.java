package io.cairn.host.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.model.VolumeRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VolumeSelectorTest {

    @ParameterizedTest(name = "{0} selects {1}: {2}")
    @CsvSource({
        "volumes/db1,          volumes/db1,          true",
        "volumes/db1,          volumes/db10,         false",
        "volumes/db1,          other/db1,            false",
        "volumes/web-*,        volumes/web-1,        true",
        "volumes/web-*,        volumes/db1,          false",
        "volumes/web-*,        other/web-1,          false",
        "volumes/web-*,        volumes/ns/web-1,     false",
        "volumes/ns/web-*,     volumes/ns/web-1,     true",
        "volumes/ns/web-*,     volumes/web-1,        false",
        "volumes/*,            volumes/anything,     true",
        "file:/srv/disk.img,   file:/srv/disk.img,   true",
        "file:/srv/disk.img,   file:/srv/other.img,  false",
    })
    void selects(String entry, String volume, boolean expected) {
        assertEquals(expected, VolumeSelector.parse(entry).selects(new VolumeRef(volume)));
    }

    @Test
    void aNameIsAVolumeAndAPatternIsResolvedInItsPool() {
        VolumeSelector name = VolumeSelector.parse(" volumes/db1 ");
        assertFalse(name.isPattern());
        assertEquals(new VolumeRef("volumes/db1"), name.volume());
        VolumeSelector pattern = VolumeSelector.parse("volumes/ns/web-*");
        assertTrue(pattern.isPattern());
        assertEquals("volumes/ns", pattern.pool());
        assertThrows(IllegalStateException.class, pattern::volume);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "db1                 | expected POOL/IMAGE",
        "volumes/            | expected POOL/IMAGE",
        "/db1                | expected POOL/IMAGE",
        "volumes//db1        | expected POOL/IMAGE",
        "vol*/db1            | patterns are allowed in the image name only",
        "volumes/db1@snap    | names a snapshot",
        "volumes/db[1        | not closed",
        "file:               | names one file",
        "file:/srv/*.img     | without patterns",
    })
    void malformedEntriesSayWhy(String entry, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VolumeSelector.parse(entry));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
