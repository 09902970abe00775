package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Volumes on one cluster, backups on another - each side with its own conf and a non-admin user - with
 * both transfer methods: base images land on the backup cluster, restores come back to the source
 * cluster byte-identical.
 */
class CrossClusterBackupTest {

    private static final long MIB = 1 << 20;

    @Test
    void nativeChainAcrossClusters() {
        runAcrossClusters("xc-native", "native");
    }

    @Test
    void rbdCliChainAcrossClusters() {
        runAcrossClusters("xc-cli", "rbd-cli");
    }

    private void runAcrossClusters(String image, String transfer) {
        TestCluster backups = TestCluster.primary();
        TestCluster sources = TestCluster.secondary();
        Path backupKeyring = backups.addUser("cairn-backup");
        Path sourceKeyring = sources.addUser("cairn-source");
        Map<String, Object> options = Map.of(
                "conf", backups.conf().toString(), "user", "cairn-backup", "keyring", backupKeyring.toString(),
                "source_conf", sources.conf().toString(), "source_user", "client.cairn-source",
                "source_keyring", sourceKeyring.toString(), "transfer", transfer);
        try (TestVolumes volumes = new TestVolumes(sources, "volumes", 3);
             BackendSession session = CephSessions.open(backups, options)) {
            assertTrue(session.describe().contains("volumes on cluster"), session.describe());
            String spec = volumes.create(image, 32 * MIB);
            volumes.writeRandom(image, 0, (int) (6 * MIB));
            BackupChain chain = new BackupChain(session, sources, spec);
            StoredBackup full = chain.full();
            volumes.scatterRandomWrites(image, 32 * MIB, 50, 8192);
            volumes.discard(image, 0, 2 * MIB);
            StoredBackup incremental = chain.incremental();

            String base = "backups/" + BackupNames.baseImage(image, full.ref().id());
            assertTrue(backups.imageExists(base), "the base image is on the backup cluster");
            assertFalse(sources.imageExists(base), "and not on the source cluster");

            for (StoredBackup backup : chain.backups()) {
                String target = "volumes/" + image + "-back-" + backup.ref().id();
                session.restores().restore(new RestoreRequest(backup.ref(), new VolumeRef(target), false,
                        ProgressListener.NONE));
                assertEquals(backup.sha256(), sources.sha256(target), "restored onto the source cluster");
            }
            chain.delete(full);
            chain.delete(incremental);
            assertFalse(backups.imageExists(base));
            assertEquals(List.of(), sources.snapshots(spec));
        }
    }
}
