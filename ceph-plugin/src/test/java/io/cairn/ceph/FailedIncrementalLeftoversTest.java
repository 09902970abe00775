package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.ceph.store.BackupNames;
import io.cairn.ceph.testing.BackupChain;
import io.cairn.ceph.testing.CephSessions;
import io.cairn.ceph.testing.StoredBackup;
import io.cairn.ceph.testing.TestVolumes;
import io.cairn.devtools.ceph.TestCluster;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An incremental that failed part way (killed, say) leaves its writes in the base image's head, and the next
 * incremental's diff does not always cover them: data written into a region that read as zeros at the parent
 * and then discarded again is no change since the parent. The next backup must still restore its own
 * snapshot's bytes, not the failed one's leftovers (the model test met this with SIGKILL at 35% kills).
 */
class FailedIncrementalLeftoversTest {

    private static final long MIB = 1 << 20;

    private static TestCluster cluster;
    private static TestVolumes volumes;
    private static TestVolumes backups;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.primary();
        volumes = new TestVolumes(cluster, "volumes", 5);
        backups = new TestVolumes(cluster, "backups", 6);
    }

    @AfterAll
    static void close() {
        volumes.close();
        backups.close();
    }

    @Test
    void nativeIncrementalRewritesWhatAFailedOneLeftInTheHead() {
        leftoversDoNotReachTheNextRestorePoint("leftover-native", Map.of());
    }

    @Test
    void rbdCliIncrementalRewritesWhatAFailedOneLeftInTheHead() {
        leftoversDoNotReachTheNextRestorePoint("leftover-cli", Map.of("transfer", "rbd-cli"));
    }

    private void leftoversDoNotReachTheNextRestorePoint(String image, Map<String, Object> options) {
        String spec = volumes.create(image, 16 * MIB);
        volumes.writeRandom(image, 0, (int) MIB);
        try (BackendSession session = CephSessions.open(cluster, options)) {
            BackupChain chain = new BackupChain(session, cluster, spec);
            StoredBackup full = chain.full();
            String base = BackupNames.baseImage(image, full.ref().id());

            // Data goes into the second object, which did not exist at the full backup; an incremental copies
            // part of it into the head and dies. Then the volume discards the object again.
            volumes.writeRandom(image, 4 * MIB + 4096, 300_000);
            backups.writeRandom(base, 4 * MIB + 4096, 300_000);
            volumes.discard(image, 4 * MIB, 4 * MIB);
            // A grown and shrunk head too: a failed backup of a grown volume resized the base.
            backups.resize(base, 20 * MIB);
            backups.writeRandom(base, 18 * MIB, 65536);

            StoredBackup next = chain.incremental();
            assertRestoresIdentical(session, next, image + "-restore");
            StoredBackup after = chain.incremental();
            assertRestoresIdentical(session, after, image + "-restore-after");
        }
    }

    private static void assertRestoresIdentical(BackendSession session, StoredBackup backup, String targetImage) {
        VolumeRef target = new VolumeRef("volumes/" + targetImage);
        session.restores().restore(new RestoreRequest(backup.ref(), target, false, ProgressListener.NONE));
        assertEquals(backup.sha256(), cluster.sha256(target.locator()),
                "restore of backup " + backup.ref().id() + " matches its source snapshot");
        cluster.rbd("rm", "--no-progress", target.locator());
    }
}
