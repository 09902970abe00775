package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.error.BackendException;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.DeleteRequest;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.api.operation.TransferRequest;
import io.cairn.ceph.ops.CephTransfer;
import io.cairn.ceph.store.BackupNames;
import io.cairn.ceph.testing.CephSessions;
import io.cairn.ceph.testing.TestVolumes;
import io.cairn.devtools.ceph.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster blocklists the client in the middle of a backup ({@code ceph osd blocklist add}, as a
 * failover does to a client it takes for dead): the backup fails in bounded time, and its partial base
 * image stays behind, exclusively locked by the dead client, since that client can no longer remove
 * anything. The delete of the failed backup - through the same session, as {@code cairn serve} would,
 * and through a new one - removes it: the session connects anew, and the lock of the blocklisted client
 * is broken. A lock whose owner is alive is never broken.
 *
 * <p>On a cluster of its own: the blocklist is cluster-wide state.
 */
class BlocklistedClientsBackupIsRemovableTest {

    private static final long MIB = 1 << 20;
    private static final int TIMEOUT_SECONDS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestCluster cluster;
    private static TestVolumes volumes;

    @BeforeAll
    static void start() {
        cluster = TestCluster.dedicated("fence");
        volumes = new TestVolumes(cluster, "volumes", 13);
    }

    @AfterAll
    static void close() {
        volumes.close();
    }

    @Test
    void theFailedBackupsLockedBaseIsRemovedByTheSameSession() {
        try (BackendSession session = open()) {
            Failed failed = backUpAndBlocklist(session, "fenced-same");
            deleteOnceTheClientIsReplaced(session, failed.ref());
            assertFalse(cluster.imageExists("backups/" + failed.base()), "the locked base image is left");
            assertFalse(cluster.objectExists("backups", BackupNames.metadataObject(failed.ref().id())));
        }
    }

    @Test
    void theFailedBackupsLockedBaseIsRemovedByAnotherSession() {
        Failed failed;
        try (BackendSession session = open()) {
            failed = backUpAndBlocklist(session, "fenced-other");
        }
        try (BackendSession other = open()) {
            other.deletions().delete(new DeleteRequest(failed.ref()));
        }
        assertFalse(cluster.imageExists("backups/" + failed.base()), "the locked base image is left");
    }

    @Test
    void aLiveOwnersLockIsNeverBroken() throws Exception {
        String spec = volumes.create("live-owner", 8 * MIB);
        volumes.writeRandom("live-owner", 0, (int) MIB);
        // A live client - an rbd process of its own - holds the image's exclusive lock and watches it.
        cluster.rbd("create", "--size", "8M", "backups/live-owner.backup.held");
        Process holder = new ProcessBuilder("rbd", "--conf", cluster.conf().toString(), "bench", "--io-type", "write",
                "--io-size", "4K", "--io-threads", "1", "--io-total", "100G", "--io-pattern", "rand",
                "backups/live-owner.backup.held").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String owner = awaitLockOwner("backups/live-owner.backup.held");
            try (BackendSession session = CephSessions.open(cluster, Map.of("timeout", TIMEOUT_SECONDS + "s",
                    "delete_retries", 1, "delete_retry_interval", "200ms"))) {
                BackupRef ref = new BackupRef(BackupId.random(), new VolumeRef(spec),
                        ServiceMetadata.of(CephTransfer.BASE, "live-owner.backup.held"));
                BackendException e = assertThrows(BackendException.class,
                        () -> session.deletions().delete(new DeleteRequest(ref)));
                assertTrue(e.getMessage().contains("busy"), e.getMessage());
            }
            assertEquals(Optional.of(owner), lockOwner("backups/live-owner.backup.held"), "the live lock is intact");
            assertTrue(holder.isAlive(), "the live client was not fenced");
            assertFalse(blocklist().contains(owner), "the live client was blocklisted");
        } finally {
            holder.destroyForcibly();
            holder.waitFor();
        }
    }

    /**
     * Deletes through the session whose client was blocklisted. When the backup failed by ESHUTDOWN the
     * client is known to be fenced and the delete connects anew at once; when its IO timed out first
     * (librados had not heard of the blocklist yet, as on a loaded machine), the client counts as stalled
     * and calls fail fast until its probe finds it blocklisted or the stall outlasts the timeout - then
     * the next try goes through a fresh client. Either way within a few timeouts.
     */
    private static void deleteOnceTheClientIsReplaced(BackendSession session, BackupRef ref) {
        long deadline = System.nanoTime() + 4L * TIMEOUT_SECONDS * 1_000_000_000L;
        while (true) {
            try {
                session.deletions().delete(new DeleteRequest(ref));
                return;
            } catch (BackendException e) { // ClusterStalledException among them
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                System.err.printf("[blocklist] delete not yet through a fresh client: %s%n", e.getMessage());
                sleep(500);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A full backup during which the cluster blocklists the session's client; what it left. */
    private Failed backUpAndBlocklist(BackendSession session, String image) {
        String spec = volumes.create(image, 128 * MIB);
        for (int i = 0; i < 128; i += 4) {
            volumes.writeRandom(image, i * MIB, (int) (4 * MIB));
        }
        BackupId id = BackupId.random();
        String base = BackupNames.baseImage(image, id);
        VolumeSnapshot snapshot = session.snapshots().create(new SnapshotRequest(id, new VolumeRef(spec)));
        Blocklister blocklister = new Blocklister("backups/" + base);
        long started = System.nanoTime();
        BackendException e = assertThrows(BackendException.class, () -> session.transfers()
                .transfer(new TransferRequest(snapshot, Optional.empty(), Map.of(), blocklister)));
        double seconds = (System.nanoTime() - started) / 1e9;
        System.err.printf("[blocklist] backup failed %.1f s after it started, its client %s blocklisted: %s%n",
                seconds, blocklister.fenced, e.getMessage());
        assertTrue(blocklister.fenced != null, "the backup ended before its client was blocklisted: " + e);
        assertTrue(seconds < 60, "took " + seconds + " s");
        // What a fenced client leaves: its partial base image, locked by it.
        assertTrue(cluster.imageExists("backups/" + base), "nothing left to test the removal with");
        assertEquals(Optional.of(blocklister.fenced), lockOwner("backups/" + base));
        return new Failed(new BackupRef(id, new VolumeRef(spec), ServiceMetadata.of(CephTransfer.BASE, base)), base);
    }

    private record Failed(BackupRef ref, String base) {
    }

    /** Blocklists the client that holds the base image's lock, once the first bytes moved. */
    private static final class Blocklister implements ProgressListener {
        private final String base;
        volatile String fenced;

        Blocklister(String base) {
            this.base = base;
        }

        @Override
        public void onProgress(long bytesDone, long bytesTotal) {
            if (bytesDone > 0 && fenced == null) {
                String owner = awaitLockOwner(base);
                cluster.ceph("osd", "blocklist", "add", owner);
                fenced = owner;
            }
        }
    }

    private static String awaitLockOwner(String image) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            Optional<String> owner = lockOwner(image);
            if (owner.isPresent()) {
                return owner.get();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("nobody took the exclusive lock of " + image);
    }

    private static Optional<String> lockOwner(String image) {
        try {
            JsonNode locks = JSON.readTree(cluster.rbd("lock", "ls", "--format", "json", image));
            for (JsonNode lock : locks) {
                return Optional.of(lock.get("address").asText());
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String blocklist() {
        return cluster.ceph("osd", "blocklist", "ls");
    }

    private static BackendSession open() {
        return CephSessions.open(cluster, Map.of("timeout", TIMEOUT_SECONDS + "s", "delete_retries", 4,
                "delete_retry_interval", "1s"));
    }
}
