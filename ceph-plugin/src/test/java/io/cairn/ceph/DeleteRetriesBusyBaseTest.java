package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendSession;
import io.cairn.api.error.TransientBackendException;
import io.cairn.api.operation.DeleteRequest;
import io.cairn.ceph.store.BackupNames;
import io.cairn.ceph.testing.BackupChain;
import io.cairn.ceph.testing.CephSessions;
import io.cairn.ceph.testing.StoredBackup;
import io.cairn.ceph.testing.TestVolumes;
import io.cairn.devtools.ceph.TestCluster;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A base image that someone holds open cannot be removed (EBUSY). Delete retries with a doubling wait:
 * it succeeds once the image is released, and gives up with a retryable error when it never is.
 */
class DeleteRetriesBusyBaseTest {

    private static final long MIB = 1 << 20;

    @Test
    void deleteWaitsForABusyBaseImageAndThenRemovesIt() throws Exception {
        TestCluster cluster = TestCluster.primary();
        try (TestVolumes volumes = new TestVolumes(cluster, "volumes", 1);
             BackendSession session = CephSessions.open(cluster,
                     Map.of("delete_retries", 4, "delete_retry_interval", "500ms"))) {
            StoredBackup backup = backUpSmallVolume(cluster, volumes, session, "busy-base");
            String base = BackupNames.baseImage("busy-base", backup.ref().id());

            AutoCloseable holder = volumes.holdOpen("backups", base);
            // Released after 1.2 s: within the retries (0.5 + 1 + 2 s), after the first two.
            CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(1200);
                    holder.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long started = System.nanoTime();
            session.deletions().delete(new DeleteRequest(backup.ref()));
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            release.get(10, TimeUnit.SECONDS);
            assertFalse(cluster.imageExists("backups/" + base));
            assertTrue(elapsedMillis >= 1200, "the delete waited for the holder: " + elapsedMillis + " ms");
        }
    }

    @Test
    void deleteGivesUpWithARetryableErrorAndCanBeRepeated() throws Exception {
        TestCluster cluster = TestCluster.primary();
        try (TestVolumes volumes = new TestVolumes(cluster, "volumes", 2);
             BackendSession session = CephSessions.open(cluster,
                     Map.of("delete_retries", 2, "delete_retry_interval", "200ms"))) {
            StoredBackup backup = backUpSmallVolume(cluster, volumes, session, "stuck-base");
            String base = BackupNames.baseImage("stuck-base", backup.ref().id());

            try (AutoCloseable holder = volumes.holdOpen("backups", base)) {
                TransientBackendException e = assertThrows(TransientBackendException.class,
                        () -> session.deletions().delete(new DeleteRequest(backup.ref())));
                assertTrue(e.getMessage().contains(base) && e.getMessage().contains("3 attempts"), e.getMessage());
            }
            assertTrue(cluster.imageExists("backups/" + base));
            session.deletions().delete(new DeleteRequest(backup.ref()));
            assertFalse(cluster.imageExists("backups/" + base));
            assertFalse(cluster.objectExists("backups", BackupNames.metadataObject(backup.ref().id())));
        }
    }

    /** A full backup of a new 4 MiB image holding one page of data: its base image is what gets held. */
    private static StoredBackup backUpSmallVolume(TestCluster cluster, TestVolumes volumes, BackendSession session,
                                                  String image) {
        String spec = volumes.create(image, 4 * MIB);
        volumes.writeRandom(image, 0, 4096);
        return new BackupChain(session, cluster, spec).full();
    }
}
