package io.cairn.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.ApiVersion;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "2f1c6a8e-7a8e-4b3c-9c1d-0e3f6b1a2c4d", "nightly-2026-11-28",
        "a23456789012345678901234567890123456789012345678901234567890123-"})
    void acceptsBackupIds(String id) {
        assertEquals(id, new BackupId(id).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-leading", "UPPER", "with space", "dot.ted", "slash/ed",
        "a234567890123456789012345678901234567890123456789012345678901234x",
        "a2345678901234567890123456789012345678901234567890123456789012345", "caf\u00e9", "tab\t", "under_score"})
    void refusesBackupIdsThatCannotBeEmbeddedInNames(String id) {
        assertThrows(IllegalArgumentException.class, () -> new BackupId(id));
    }

    @Test
    void randomBackupIdsAreValidAndDistinct() {
        assertFalse(BackupId.random().equals(BackupId.random()));
    }

    @Test
    void fileLocators() {
        VolumeRef file = new VolumeRef("file:/srv/disk.img");
        assertTrue(file.isFile());
        assertEquals(Path.of("/srv/disk.img"), file.filePath());
        assertFalse(new VolumeRef("volumes/db").isFile());
        assertThrows(IllegalStateException.class, () -> new VolumeRef("volumes/db").filePath());
        assertThrows(IllegalArgumentException.class, () -> new VolumeRef("file:").filePath());
        assertThrows(IllegalArgumentException.class, () -> new VolumeRef(" "));
        assertEquals("file:/tmp/x", VolumeRef.ofFile(Path.of("/tmp/x")).locator());
    }

    @Test
    void serviceMetadataIsSortedAndImmutable() {
        ServiceMetadata metadata = new ServiceMetadata(Map.of("b", "2", "a", "1"));
        assertEquals("[a, b]", metadata.entries().keySet().toString());
        assertThrows(UnsupportedOperationException.class, () -> metadata.entries().put("c", "3"));
        assertEquals("1", metadata.get("a").orElseThrow());
        assertTrue(metadata.get("z").isEmpty());
    }

    @Test
    void apiVersionComesFromTheBuild() {
        assertTrue(ApiVersion.CURRENT.matches("\\d+\\.\\d+\\.\\d+.*"), ApiVersion.CURRENT);
        assertEquals(Integer.parseInt(ApiVersion.CURRENT.split("\\.")[0]), ApiVersion.major());
    }
}
