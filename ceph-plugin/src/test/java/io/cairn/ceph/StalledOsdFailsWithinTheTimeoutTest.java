package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.error.TransientBackendException;
import io.cairn.api.error.UnreachableException;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.DeleteRequest;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.api.operation.TransferRequest;
import io.cairn.ceph.ops.CephTransfer;
import io.cairn.ceph.store.BackupNames;
import io.cairn.ceph.testing.BackupChain;
import io.cairn.ceph.testing.CephSessions;
import io.cairn.ceph.testing.FrozenOsd;
import io.cairn.ceph.testing.StoredBackup;
import io.cairn.ceph.testing.TestVolumes;
import io.cairn.devtools.ceph.TestCluster;
import io.cairn.devtools.process.Command;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * An OSD that stops answering (SIGSTOP) in the middle of a backup - native or through the rbd CLI -, a
 * restore or a delete: the operation fails within the cluster's {@code timeout} plus a small margin,
 * with an error naming the cluster and what it waited for; it never waits for the OSD. Once the OSD
 * runs again, the same session removes what the failed backup left.
 *
 * <p>On a cluster of its own, so that the stopped OSD never disturbs the other tests of this JVM.
 */
class StalledOsdFailsWithinTheTimeoutTest {

    private static final long MIB = 1 << 20;
    private static final int TIMEOUT_SECONDS = 5;
    /** Room for handing the failure up and a loaded machine; a wait for the OSD would take minutes. */
    private static final double MARGIN_SECONDS = 3;

    private static TestCluster cluster;
    private static TestVolumes volumes;

    @BeforeAll
    static void start() {
        cluster = TestCluster.dedicated("stall");
        volumes = new TestVolumes(cluster, "volumes", 11);
    }

    @AfterAll
    static void close() {
        volumes.close();
    }

    @Test
    void nativeBackupFailsWithinTheTimeoutAndItsBaseCanBeRemovedAfterwards() {
        backUpWhileTheOsdStops("native-stall", Map.of());
    }

    /** The rbd children are gone once the backup has failed (checked before the delete: see the helper). */
    @Test
    void rbdCliBackupFailsWithinTheTimeoutKillingItsChildren() {
        backUpWhileTheOsdStops("cli-stall", Map.of("transfer", "rbd-cli"));
        assertTrue(rbdChildren().isEmpty(), "rbd children left running: " + rbdChildren());
    }

    @Test
    void restoreFailsWithinTheTimeout() {
        String spec = volumeWithData("restore-stall", 128);
        try (BackendSession session = open(Map.of())) {
            StoredBackup backup = new BackupChain(session, cluster, spec).full();
            try (OsdStopper stopper = new OsdStopper()) {
                RestoreRequest request = new RestoreRequest(backup.ref(), new VolumeRef("volumes/restore-stall-copy"),
                        false, stopper);
                stopper.assertFailsInTime("restore", () -> session.restores().restore(request), TIMEOUT_SECONDS);
            }
        }
    }

    @Test
    void deleteFailsWithinTheTimeout() {
        String spec = volumeWithData("delete-stall", 16);
        try (BackendSession session = open(Map.of())) {
            StoredBackup backup = new BackupChain(session, cluster, spec).full();
            try (OsdStopper stopper = new OsdStopper()) {
                stopper.stopNow();
                stopper.assertFailsInTime("delete", () -> session.deletions().delete(new DeleteRequest(backup.ref())),
                        TIMEOUT_SECONDS);
            }
            // Running again, the same session deletes it.
            onceTheClusterAnswers("delete", () -> session.deletions().delete(new DeleteRequest(backup.ref())));
            assertFalse(cluster.imageExists("backups/" + BackupNames.baseImage("delete-stall", backup.ref().id())));
        }
    }

    /**
     * A full backup whose OSD stops once the first bytes moved; then, with the OSD running again, a delete
     * of the failed backup through the same session removes the base image it left.
     */
    private void backUpWhileTheOsdStops(String image, Map<String, Object> options) {
        String spec = volumeWithData(image, 256);
        BackupId id = BackupId.random();
        String base = BackupNames.baseImage(image, id);
        boolean cli = "rbd-cli".equals(options.get("transfer"));
        try (BackendSession session = open(options)) {
            VolumeSnapshot snapshot = session.snapshots().create(new SnapshotRequest(id, new VolumeRef(spec)));
            try (OsdStopper stopper = new OsdStopper()) {
                TransferRequest request = new TransferRequest(snapshot, Optional.empty(), Map.of(), stopper);
                // The rbd children are killed after `timeout` without progress of the stream between them.
                // What both already hold when the OSD stops - export-diff's finished reads, the pipes,
                // import-diff's queue of writes, each bounded by rbd's concurrent operations - still flows
                // for a while and counts as progress; on a loaded machine that took up to 10 s here.
                stopper.assertFailsInTime((cli ? "rbd-cli" : "native") + " backup",
                        () -> session.transfers().transfer(request), cli ? 3 * TIMEOUT_SECONDS : TIMEOUT_SECONDS);
            }
            if (cli) {
                assertTrue(rbdChildren().isEmpty(), "rbd children left running: " + rbdChildren());
            }
            // What the host does with a failed backup: delete it, through the same session.
            BackupRef failed = new BackupRef(id, new VolumeRef(spec), ServiceMetadata.of(CephTransfer.BASE, base));
            try {
                onceTheClusterAnswers("delete", () -> session.deletions().delete(new DeleteRequest(failed)));
                assertFalse(cluster.imageExists("backups/" + base), "the failed backup's base image is left");
            } catch (TransientBackendException e) {
                // The known limit under Delete in the README: on this one-OSD cluster the watch of an rbd child killed
                // while the OSD was stopped has outlived the watch timeout by minutes, and its blocklisting too (seen
                // in CI twice on 2026-12-03). Then the delete must fail as documented - busy, naming only that dead
                // client, never this session's own, the base image kept for a later delete - and nothing else.
                if (!cli || !e.getMessage().contains("still in use (busy)")) {
                    throw e;
                }
                Matcher holders = Pattern.compile("open by ([^;]+);").matcher(e.getMessage());
                assertTrue(holders.find(), "the busy delete names no client: " + e.getMessage());
                Set<String> own = ownAddresses(session);
                for (String address : holders.group(1).split(",\\s*")) {
                    assertFalse(own.contains(address), "this session's own client holds the base image: " + e.getMessage());
                }
                assertTrue(cluster.imageExists("backups/" + base), "a busy delete removed the base image anyway");
                assertTrue(rbdChildren().isEmpty(), "rbd children left running: " + rbdChildren());
                System.err.printf("[stalled-osd] known limit: the killed rbd child's watch outlived the watch timeout;"
                        + " the delete failed as documented: %s%n", e.getMessage());
            }
            session.snapshots().remove(snapshot);
        }
    }

    /**
     * Right after the OSD runs again, the calls given up during the stall may still be finishing, and the
     * session fails fast until they have (or replaces its client after a further timeout): the operation
     * works within a few timeouts, as a later schedule firing would find.
     *
     * <p>After an {@code rbd-cli} backup, the killed {@code rbd import-diff} child may still watch the base image:
     * it died without unwatching, and the OSD drops a dead client's watch only after {@code
     * osd_client_watch_timeout} (30 s) without its pings - counted from when the OSD runs again. The delete then
     * fails as busy, naming that client, and works once the watch is gone (the rbd children are not fenced by their
     * own addresses; a known gap): that case gets the watch timeout four times over, and when even that is not enough
     * - the README's known limit - the busy failure is thrown for the caller to check.
     */
    private static void onceTheClusterAnswers(String operation, Runnable action) {
        long started = System.nanoTime();
        long deadline = started + java.util.concurrent.TimeUnit.SECONDS.toNanos(4L * TIMEOUT_SECONDS);
        long busyDeadline = started + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try {
                action.run();
                System.err.printf("[stalled-osd] %s worked %.1f s after the OSD ran again%n", operation,
                        (System.nanoTime() - started) / 1e9);
                return;
            } catch (UnreachableException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                sleep();
            } catch (TransientBackendException e) {
                if (!e.getMessage().contains("still in use (busy)") || System.nanoTime() > busyDeadline) {
                    throw e;
                }
                System.err.printf("[stalled-osd] %s %.1f s after the OSD ran again: %s%n", operation,
                        (System.nanoTime() - started) / 1e9, e.getMessage());
                sleep();
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** This session's own client addresses, from its fencing identity ({@code <fsid>=<address>} per cluster). */
    private static Set<String> ownAddresses(BackendSession session) {
        String identity = session.fencing().orElseThrow().clientIdentity();
        Set<String> addresses = new HashSet<>();
        for (String part : identity.trim().split("\\s+")) {
            addresses.add(part.substring(part.indexOf('=') + 1));
        }
        return addresses;
    }

    private static BackendSession open(Map<String, Object> overrides) {
        Map<String, Object> options = new HashMap<>(Map.of("timeout", TIMEOUT_SECONDS + "s",
                "delete_retries", 6, "delete_retry_interval", "1s"));
        options.putAll(overrides);
        return CephSessions.open(cluster, options);
    }

    private static String volumeWithData(String image, int mebibytes) {
        String spec = volumes.create(image, mebibytes * MIB);
        for (int i = 0; i < mebibytes; i += 4) {
            volumes.writeRandom(image, i * MIB, (int) (4 * MIB));
        }
        return spec;
    }

    /** Pids of rbd processes talking to this cluster. */
    private static java.util.List<String> rbdChildren() {
        Command.Result result = TestCluster.run(java.util.List.of("pgrep", "-f", "rbd .*" + cluster.conf()), 10);
        return result.stdout().isBlank() ? java.util.List.of() : java.util.List.of(result.stdout().strip().split("\n"));
    }

    /**
     * Stops the OSD when an operation reports its first progress (from inside the operation, so it is
     * surely under way), and runs it again when closed.
     */
    private static final class OsdStopper implements ProgressListener, AutoCloseable {
        private FrozenOsd frozen;

        @Override
        public synchronized void onProgress(long bytesDone, long bytesTotal) {
            if (bytesDone > 0 && frozen == null) {
                stopNow();
            }
        }

        synchronized void stopNow() {
            frozen = FrozenOsd.freeze(cluster);
        }

        /** The operation fails naming the cluster, within {@code boundSeconds} (plus a margin) of the stop. */
        void assertFailsInTime(String operation, Executable executable, int boundSeconds) {
            UnreachableException e = assertThrows(UnreachableException.class, executable,
                    operation + " with a stopped OSD");
            double seconds;
            synchronized (this) {
                assertTrue(frozen != null, operation + " failed before the OSD was stopped: " + e);
                seconds = frozen.secondsFrozen();
            }
            System.err.printf("[stalled-osd] %s failed %.1f s after the OSD stopped (timeout %d s): %s%n", operation,
                    seconds, TIMEOUT_SECONDS, e.getMessage());
            assertTrue(seconds < boundSeconds + MARGIN_SECONDS, operation + " took " + seconds + " s: " + e);
            assertTrue(e.getMessage().contains("cluster 'test-stall'"), "names the cluster: " + e.getMessage());
            assertTrue(e.getMessage().contains("did not answer within " + TIMEOUT_SECONDS + " s"), e.getMessage());
        }

        @Override
        public synchronized void close() {
            if (frozen != null) {
                frozen.close();
            }
        }
    }
}
