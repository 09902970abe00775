package io.cairn.ceph.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.model.BackupId;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BackupNamesTest {

    private static final BackupId ID = new BackupId("2f1c6a8e-7a8e-4b3c-9c1d-0e3f6b1a2c4d");

    @Test
    void namesAsTheCinderDriverDoes() {
        assertEquals("volume-1234.backup.2f1c6a8e-7a8e-4b3c-9c1d-0e3f6b1a2c4d", BackupNames.baseImage("volume-1234", ID));
        assertEquals("backup.2f1c6a8e-7a8e-4b3c-9c1d-0e3f6b1a2c4d.meta", BackupNames.metadataObject(ID));
        assertEquals("backup.2f1c6a8e-7a8e-4b3c-9c1d-0e3f6b1a2c4d.snap.1700000000.000123",
                BackupNames.snapshot(ID, Instant.ofEpochSecond(1700000000, 123_456)));
    }

    @Test
    void snapshotNamesRoundTrip() {
        String name = BackupNames.snapshot(ID, Instant.now());
        assertEquals(Optional.of(ID.value()), BackupNames.backupIdOfSnapshot(name));
        assertTrue(BackupNames.isSnapshotOf(name, ID));
        assertFalse(BackupNames.isSnapshotOf(name, new BackupId("other")));
    }

    @ParameterizedTest
    @CsvSource({
        // Snapshots the reference driver wrote, with Python's time.time() formatting.
        "backup.5e2b.snap.1453210245.16, 5e2b",
        "backup.a-b-c.snap.1, a-b-c",
        "backup.abc.snap.x.snap.y, abc"})
    void recognisesReferenceSnapshots(String name, String id) {
        assertEquals(Optional.of(id), BackupNames.backupIdOfSnapshot(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"daily", "backup.snap.1", "backup.ABC.snap.1", "xbackup.a.snap.1", "backup.a.snap."})
    void ignoresOtherSnapshots(String name) {
        assertEquals(Optional.empty(), BackupNames.backupIdOfSnapshot(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"volume-1234.backup.2f1c6a8e-7a8e-4b3c-9c1d-0e3f6b1a2c4d", "volume-1234.backup.base",
        "db.backup.x.backup.abc"})
    void recognisesBaseImageNames(String name) {
        assertTrue(BackupNames.looksLikeBaseImage(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"db1", "db1.backup", "db1.backup.", ".backup.abc", "db1.backup.ABC", "db1.backups.abc",
        "db1-restored"})
    void otherImageNamesAreNotBaseImages(String name) {
        assertFalse(BackupNames.looksLikeBaseImage(name), name);
    }

    @ParameterizedTest
    @CsvSource({"/srv/disk.img, file_srv_disk.img", "/dev/sdb, file_dev_sdb", "relative/a@b, file_relative_a_b"})
    void fileVolumeNamesAreValidImageNames(String path, String name) {
        assertEquals(name, BackupNames.fileVolumeName(path));
    }
}
