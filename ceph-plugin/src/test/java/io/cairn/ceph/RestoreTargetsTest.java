package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.error.BackendException;
import io.cairn.api.error.BackupDataMissingException;
import io.cairn.api.error.TargetNotEmptyException;
import io.cairn.api.error.TargetTooSmallException;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.DeleteRequest;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.api.operation.RestoreResult;
import io.cairn.api.operation.RestoreResult.RestoreMode;
import io.cairn.ceph.testing.BackupChain;
import io.cairn.ceph.testing.CephSessions;
import io.cairn.ceph.testing.StoredBackup;
import io.cairn.ceph.testing.TestVolumes;
import io.cairn.devtools.ceph.TestCluster;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Restores into the kinds of target an operator meets: new, existing and empty, existing with data
 * (only when asked to overwrite), larger, too small; and the volume's metadata and labels coming back.
 */
class RestoreTargetsTest {

    private static final long MIB = 1 << 20;

    private static TestCluster cluster;
    private static TestVolumes volumes;
    private static BackendSession session;
    private static StoredBackup backup;

    @BeforeAll
    static void backUpOneVolume() {
        cluster = TestCluster.primary();
        volumes = new TestVolumes(cluster, "volumes", 11);
        session = CephSessions.open(cluster);
        String spec = volumes.create("restore-src", 24 * MIB);
        volumes.writeRandom("restore-src", 0, (int) (3 * MIB));
        volumes.writeRandom("restore-src", 17 * MIB + 512, 70_000);
        volumes.writeRandom("restore-src", 24 * MIB - 4096, 4096);
        cluster.rbd("image-meta", "set", spec, "owner", "team-db");
        cluster.rbd("image-meta", "set", spec, "conf_rbd_cache", "false");
        backup = new BackupChain(session, cluster, spec).take(Optional.empty(), Map.of("ticket", "OPS-42"));
    }

    @AfterAll
    static void close() {
        session.close();
        volumes.close();
    }

    private RestoreResult restore(String target, boolean overwrite) {
        return session.restores().restore(
                new RestoreRequest(backup.ref(), new VolumeRef(target), overwrite, ProgressListener.NONE));
    }

    @Test
    void newImageGetsTheBackupsSizeBytesMetadataAndLabels() {
        RestoreResult result = restore("volumes/restore-new", false);
        assertTrue(result.targetCreated());
        assertEquals(RestoreMode.DIFFERENTIAL, result.mode());
        assertEquals(backup.sha256(), cluster.sha256("volumes/restore-new"));
        String meta = cluster.rbd("image-meta", "list", "--format", "json", "volumes/restore-new");
        assertTrue(meta.contains("\"owner\":\"team-db\""), meta);
        assertTrue(meta.contains("\"conf_rbd_cache\":\"false\""), meta);
        assertTrue(meta.contains("\"cairn.label.ticket\":\"OPS-42\""), meta);
    }

    /**
     * A restore killed inside {@code rbd_create} leaves the target's name taken by an image without a header (the
     * model test met it): the next restore names it and the command that frees it, and leaves it alone.
     */
    @Test
    void aNameLeftTakenByAKilledCreateIsNamedWithTheCommandThatFreesIt() {
        // What rbd_create leaves when killed after the directory entry and before the header.
        String target = volumes.create("restore-remnant", 4 * MIB);
        cluster.rados("-p", "volumes", "rm", "rbd_header." + cluster.imageId(target));
        BackendException e = assertThrows(BackendException.class, () -> restore(target, false));
        assertTrue(e.getMessage().contains("its name is taken, but no image of that name can be opened")
                && e.getMessage().contains("'rbd rm " + target + "'"), e.getMessage());
        assertTrue(cluster.rbd("ls", "volumes").lines().anyMatch("restore-remnant"::equals), "the remains are left");

        cluster.rbd("rm", target);
        RestoreResult result = restore(target, false);
        assertTrue(result.targetCreated());
        assertEquals(backup.sha256(), cluster.sha256(target));
    }

    @Test
    void existingEmptyImageIsFilledWithoutAskingAndKeepsItsLargerSize() {
        String target = volumes.create("restore-empty", 40 * MIB);
        RestoreResult result = restore(target, false);
        assertFalse(result.targetCreated());
        assertEquals(RestoreMode.DIFFERENTIAL, result.mode());
        assertEquals(40 * MIB, result.targetSizeBytes());
        cluster.rbd("resize", "--no-progress", "--allow-shrink", "--size", "24M", target);
        assertEquals(backup.sha256(), cluster.sha256(target));
    }

    @Test
    void existingImageWithDataIsRefusedUnlessOverwriteIsAsked() {
        String target = volumes.create("restore-busy", 24 * MIB);
        volumes.writeRandom("restore-busy", 5 * MIB, (int) (6 * MIB));
        String before = cluster.sha256(target);

        TargetNotEmptyException e = assertThrows(TargetNotEmptyException.class, () -> restore(target, false));
        assertTrue(e.getMessage().contains(target), e.getMessage());
        assertEquals(before, cluster.sha256(target), "nothing was written");

        RestoreResult result = restore(target, true);
        assertEquals(RestoreMode.FULL_COPY, result.mode());
        assertEquals(backup.sha256(), cluster.sha256(target), "data of the old content is gone everywhere");
    }

    @Test
    void overwriteOfALargerImageZeroesThePartPastTheBackup() {
        String target = volumes.create("restore-larger", 32 * MIB);
        volumes.writeRandom("restore-larger", 0, (int) (32 * MIB));
        restore(target, true);
        String tail = cluster.dir().resolve("tail.bin").toString();
        cluster.rbd("export", "--no-progress", target, tail);
        try {
            byte[] bytes = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(tail));
            for (int i = (int) (24 * MIB); i < bytes.length; i++) {
                if (bytes[i] != 0) {
                    throw new AssertionError("byte " + i + " past the backup's end is not zero");
                }
            }
            cluster.rbd("resize", "--no-progress", "--allow-shrink", "--size", "24M", target);
            assertEquals(backup.sha256(), cluster.sha256(target));
            java.nio.file.Files.delete(java.nio.file.Path.of(tail));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void tooSmallTargetIsRefusedBeforeAnythingIsWritten() {
        String target = volumes.create("restore-small", 8 * MIB);
        volumes.writeRandom("restore-small", 0, (int) MIB);
        String before = cluster.sha256(target);
        TargetTooSmallException e = assertThrows(TargetTooSmallException.class, () -> restore(target, true));
        assertTrue(e.getMessage().contains(target) && e.getMessage().contains("nothing was written"), e.getMessage());
        assertEquals(before, cluster.sha256(target));
    }

    @Test
    void restoreOfADeletedBackupSaysTheDataIsGone() {
        String spec = volumes.create("restore-deleted", 4 * MIB);
        volumes.writeRandom("restore-deleted", 0, 4096);
        StoredBackup doomed = new BackupChain(session, cluster, spec).full();
        session.deletions().delete(new DeleteRequest(doomed.ref()));
        BackupDataMissingException e = assertThrows(BackupDataMissingException.class, () -> session.restores()
                .restore(new RestoreRequest(doomed.ref(), new VolumeRef("volumes/never"), false, ProgressListener.NONE)));
        assertTrue(e.getMessage().contains(doomed.ref().id().value()), e.getMessage());
        assertFalse(cluster.imageExists("volumes/never"), "no target is created for a backup that cannot be read");
    }
}
