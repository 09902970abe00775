package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.api.operation.DeleteRequest;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.api.operation.RestoreResult;
import io.cairn.ceph.store.BackupNames;
import io.cairn.ceph.testing.BackupChain;
import io.cairn.ceph.testing.CephSessions;
import io.cairn.ceph.testing.StoredBackup;
import io.cairn.ceph.testing.TestVolumes;
import io.cairn.devtools.ceph.TestCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A chain of one full and several incremental backups, with writes, explicit zeros, discards, a grow
 * and a shrink between them: every backup restores to exactly the bytes of its source snapshot,
 * deleting a middle backup keeps the others restorable, and deleting the last leaves nothing behind.
 */
class IncrementalChainRestoresByteIdenticalTest {

    private static final long MIB = 1 << 20;

    private static TestCluster cluster;
    private static TestVolumes volumes;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.primary();
        volumes = new TestVolumes(cluster, "volumes", 42);
    }

    @AfterAll
    static void closeVolumes() {
        volumes.close();
    }

    @Test
    void nativeChainRestoresEveryBackupByteIdentical() {
        runChain("chain-native", Map.of());
    }

    @Test
    void rbdCliChainRestoresEveryBackupByteIdentical() {
        runChain("chain-cli", Map.of("transfer", "rbd-cli"));
    }

    private void runChain(String image, Map<String, Object> options) {
        String spec = volumes.create(image, 64 * MIB);
        try (BackendSession session = CephSessions.open(cluster, options)) {
            BackupChain chain = new BackupChain(session, cluster, spec);

            // Data in whole and partial objects, explicit zeros, and holes.
            volumes.writeRandom(image, 0, (int) (5 * MIB));
            volumes.writeRandom(image, 9 * MIB + 4096, 300_000);
            volumes.writeZeros(image, 20 * MIB, (int) (2 * MIB));
            volumes.writeRandom(image, 63 * MIB, (int) MIB);
            StoredBackup full = chain.full();
            assertEquals(BackupKind.FULL, full.result().kind());

            // Small writes everywhere, and a discard of data the full backup holds.
            volumes.scatterRandomWrites(image, 64 * MIB, 200, 65536);
            volumes.discard(image, MIB, 3 * MIB);
            StoredBackup second = chain.incremental();
            assertEquals(BackupKind.INCREMENTAL, second.result().kind());

            // Grow, and write into the new space.
            volumes.resize(image, 100 * MIB);
            volumes.writeRandom(image, 90 * MIB, (int) (2 * MIB));
            StoredBackup third = chain.incremental();
            assertEquals(100 * MIB, third.sizeBytes());

            // Shrink below the first write past the old end; overwrite a range with zeros.
            volumes.resize(image, 48 * MIB);
            volumes.writeZeros(image, 0, (int) MIB);
            StoredBackup fourth = chain.incremental();
            assertEquals(48 * MIB, fourth.sizeBytes());

            String base = "backups/" + BackupNames.baseImage(image, full.ref().id());
            assertEquals(List.of(fourth.snapshot()), cluster.snapshots(spec),
                    "only the newest backup snapshot stays on the source");
            assertEquals(4, cluster.snapshots(base).size(), "one snapshot per backup on the base image");

            for (StoredBackup backup : chain.backups()) {
                assertRestoresIdentical(session, backup, image + "-restore-" + backup.ref().id());
            }

            // Deleting a middle backup keeps the others restorable.
            chain.delete(second);
            assertFalse(cluster.snapshots(base).contains(second.snapshot()));
            for (StoredBackup backup : List.of(full, third, fourth)) {
                assertRestoresIdentical(session, backup, image + "-after-delete-" + backup.ref().id());
            }

            // Deleting the rest (with the newest backup's snapshot, as the host does) leaves no base image,
            // no metadata object and no source snapshot.
            for (StoredBackup backup : List.of(fourth, full, third)) {
                chain.delete(backup);
            }
            assertFalse(cluster.imageExists(base), base + " is removed with its last backup");
            for (StoredBackup backup : chain.backups()) {
                assertFalse(cluster.objectExists("backups", BackupNames.metadataObject(backup.ref().id())));
            }
            assertEquals(List.of(), cluster.snapshots(spec));

            // A repeated delete (after a crash, say) finds everything gone and succeeds.
            assertTrue(session.deletions().delete(new DeleteRequest(fourth.ref())).removed().isEmpty());
        }
    }

    private static void assertRestoresIdentical(BackendSession session, StoredBackup backup, String targetImage) {
        VolumeRef target = new VolumeRef("volumes/" + targetImage);
        RestoreResult result = session.restores().restore(
                new RestoreRequest(backup.ref(), target, false, ProgressListener.NONE));
        assertTrue(result.targetCreated());
        assertEquals(RestoreResult.RestoreMode.DIFFERENTIAL, result.mode());
        assertEquals(backup.sizeBytes(), result.targetSizeBytes());
        assertEquals(backup.sha256(), cluster.sha256(target.locator()),
                "restore of backup " + backup.ref().id() + " into " + target + " matches its source snapshot");
        cluster.rbd("rm", "--no-progress", target.locator());
    }
}
