package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.ceph.testing.BackupChain;
import io.cairn.ceph.testing.CephSessions;
import io.cairn.ceph.testing.StoredBackup;
import io.cairn.ceph.testing.TestVolumes;
import io.cairn.devtools.ceph.TestCluster;
import org.junit.jupiter.api.Test;

/**
 * librbd reports an object written once since its creation as one extent up to its last write, so a
 * 4 KiB write at 3 MiB is "3 MiB changed". The native transfer writes only the data in such extents.
 */
class SparseVolumesTransferOnlyTheirDataTest {

    private static final long MIB = 1 << 20;

    @Test
    void scatteredSmallWritesCostTheirOwnSizeNotTheirObjects() {
        TestCluster cluster = TestCluster.primary();
        try (TestVolumes volumes = new TestVolumes(cluster, "volumes", 13);
             BackendSession session = CephSessions.open(cluster)) {
            String spec = volumes.create("sparse", 256 * MIB);
            for (int i = 0; i < 64; i++) {
                volumes.writeRandom("sparse", i * 4 * MIB + 3 * MIB, 4096);
            }
            BackupChain chain = new BackupChain(session, cluster, spec);
            StoredBackup full = chain.full();
            assertTrue(full.result().bytesWritten() <= 64 * 4096, "full wrote " + full.result().bytesWritten());

            for (int i = 0; i < 10; i++) {
                volumes.writeRandom("sparse", i * 16 * MIB + 100 * 4096, 4096);
            }
            StoredBackup incremental = chain.incremental();
            assertTrue(incremental.result().bytesWritten() <= 10 * 4096,
                    "incremental wrote " + incremental.result().bytesWritten());

            for (StoredBackup backup : chain.backups()) {
                String target = "volumes/sparse-restore-" + backup.ref().id();
                session.restores().restore(new RestoreRequest(backup.ref(), new VolumeRef(target), false,
                        ProgressListener.NONE));
                assertEquals(backup.sha256(), cluster.sha256(target));
            }
        }
    }
}
