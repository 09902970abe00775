package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CephSettingsTest {

    private static CephSettings settings(Object... keysAndValues) {
        Map<String, Object> raw = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            raw.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return CephSettings.from("prod", CephOptions.DEFINITIONS.validate(raw));
    }

    @Test
    void defaultsAreTheReferenceDriversWhereItHasThem() {
        CephSettings s = settings();
        assertEquals(Path.of("/etc/ceph/ceph.conf"), s.backupSide().conf());
        assertEquals("admin", s.backupSide().user());
        assertEquals("backups", s.pool());
        assertEquals(128L << 20, s.chunkSize());
        assertEquals(0, s.stripeUnit());
        assertEquals(0, s.stripeCount());
        assertFalse(s.imageJournals());
        assertTrue(s.restoreDiscardExcessBytes());
        assertFalse(s.rbdCliTransfer());
        assertEquals(8, s.parallelIos());
        assertEquals(Duration.ofSeconds(30), s.backupSide().timeout());
        assertEquals(3, s.deleteRetries());
        assertEquals(Duration.ofSeconds(5), s.deleteRetryInterval());
    }

    @Test
    void sourceSideDefaultsToTheBackupSide() {
        CephSettings s = settings("conf", "/c/backup.conf", "user", "client.cairn", "keyring", "/k/cairn.keyring");
        assertEquals(Path.of("/c/backup.conf"), s.sourceSide().conf());
        assertEquals("cairn", s.sourceSide().user(), "the client. prefix is optional");
        assertEquals(Optional.of(Path.of("/k/cairn.keyring")), s.sourceSide().keyring());
        assertTrue(s.sameCluster());
    }

    @Test
    void anotherSourceUserDoesNotInheritTheBackupUsersKeyring() {
        CephSettings s = settings("keyring", "/k/backup.keyring", "key", "SECRET", "source_user", "reader");
        assertEquals(Optional.empty(), s.sourceSide().keyring());
        assertEquals(Optional.empty(), s.sourceSide().key());
        assertFalse(s.sameCluster());
    }

    @Test
    void anotherClusterIsAnotherConnection() {
        CephSettings s = settings("source_conf", "/c/prod.conf");
        assertFalse(s.sameCluster());
        assertEquals("source", s.sourceSide().side());
    }

    @Test
    void secretsStayOutOfDescriptions() {
        CephSettings s = settings("key", "AQSECRETKEY==", "source_key", "AQOTHERSECRET==");
        assertFalse(s.toString().contains("SECRET"), s.toString());
        assertFalse(s.backupSide().toString().contains("SECRET"), s.backupSide().toString());
        assertFalse(s.sourceSide().toString().contains("SECRET"));
    }

    @ParameterizedTest
    @CsvSource({"128MiB, 16, 8388608", "128MiB, 1, 33554432", "1MiB, 16, 65536", "64KiB, 4, 65536",
        "96MiB, 4, 25165824", "100MiB, 3, 33554432"})
    void fullCopyIoSizeSpreadsChunkSizeOverParallelIos(String chunk, int parallel, int ioSize) {
        assertEquals(ioSize, settings("chunk_size", chunk, "parallel_ios", parallel).fullCopyIoSize());
        assertEquals(0, ioSize % 4096);
    }
}
