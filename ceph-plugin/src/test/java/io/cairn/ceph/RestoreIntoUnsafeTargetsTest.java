package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.error.TargetInUseException;
import io.cairn.api.error.TargetRefusedException;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.api.operation.RestoreResult;
import io.cairn.ceph.store.BackupNames;
import io.cairn.ceph.testing.BackupChain;
import io.cairn.ceph.testing.CephSessions;
import io.cairn.ceph.testing.KillableOperation;
import io.cairn.ceph.testing.StoredBackup;
import io.cairn.ceph.testing.TestClients;
import io.cairn.ceph.testing.TestVolumes;
import io.cairn.devtools.ceph.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Restores never write where they would do harm (issue 9, findings 3, 6 and 7): Cairn's own base
 * images are refused whatever the caller asks; an image a live client writes to is refused unless
 * the caller asks to overwrite, and then the client is fenced off (its writes fail) for the whole
 * restore, which ends byte-identical to the backup; a restore killed midway leaves the target marked
 * until a restore into it finishes.
 */
class RestoreIntoUnsafeTargetsTest {

    private static final long MIB = 1 << 20;
    private static final String INCOMPLETE = "cairn.restore.incomplete";

    private static TestCluster cluster;
    private static TestVolumes volumes;
    private static BackendSession session;

    @BeforeAll
    static void open() {
        cluster = TestCluster.primary();
        volumes = new TestVolumes(cluster, "volumes", 13);
        session = CephSessions.open(cluster);
    }

    @AfterAll
    static void close() {
        session.close();
        volumes.close();
    }

    private static RestoreResult restore(StoredBackup backup, String target, boolean overwrite,
                                         ProgressListener progress) {
        return session.restores().restore(new RestoreRequest(backup.ref(), new VolumeRef(target), overwrite,
                progress));
    }

    @Test
    void aBaseImageIsNeverARestoreTargetEvenWithOverwrite() {
        String spec = volumes.create("into-base", 16 * MIB);
        volumes.writeRandom("into-base", 0, (int) (2 * MIB));
        BackupChain chain = new BackupChain(session, cluster, spec);
        StoredBackup full = chain.full();
        volumes.writeRandom("into-base", 4 * MIB, (int) MIB);
        StoredBackup second = chain.incremental();
        String base = "backups/" + BackupNames.baseImage("into-base", full.ref().id());
        String headBefore = cluster.sha256(base);

        for (boolean overwrite : new boolean[] {true, false}) {
            TargetRefusedException e = assertThrows(TargetRefusedException.class,
                    () -> restore(second, base, overwrite, ProgressListener.NONE));
            assertTrue(e.getMessage().contains(base) && e.getMessage().contains("base image"), e.getMessage());
        }
        assertEquals(full.ref().id().value(), cluster.rbd("image-meta", "get", base, "cairn.base").strip(),
                "a base image carries Cairn's mark");
        // An image carrying the mark is refused wherever it is and whatever its name.
        String marked = volumes.create("looks-innocent", 16 * MIB);
        cluster.rbd("image-meta", "set", marked, "cairn.base", full.ref().id().value());
        TargetRefusedException e = assertThrows(TargetRefusedException.class,
                () -> restore(second, marked, true, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("cairn.base"), e.getMessage());
        assertEquals(headBefore, cluster.sha256(base), "nothing was written into the base image");

        // The chain is not poisoned: a later incremental and every earlier backup restore as stored.
        volumes.writeRandom("into-base", 9 * MIB, (int) MIB);
        chain.incremental();
        for (StoredBackup backup : chain.backups()) {
            String target = "volumes/into-base-check-" + backup.ref().id();
            restore(backup, target, false, ProgressListener.NONE);
            assertEquals(backup.sha256(), cluster.sha256(target), "backup " + backup.ref().id());
            cluster.rbd("rm", "--no-progress", target);
        }
    }

    @Test
    void aVolumeWithALiveWriterIsRefusedAndWithOverwriteTheWriterIsFencedOff() throws Exception {
        // The live writer works on the backed-up volume itself: restoring a volume in place.
        String spec = volumes.create("live", 32 * MIB);
        volumes.writeRandom("live", 0, (int) (8 * MIB));
        volumes.writeRandom("live", 20 * MIB, (int) (4 * MIB));
        StoredBackup backup = new BackupChain(session, cluster, spec).full();

        Process writer = new ProcessBuilder("rbd", "--conf", cluster.conf().toString(), "bench", "--io-type", "write",
                "--io-size", "4K", "--io-threads", "1", "--io-total", "100G", "--io-pattern", "rand", spec)
                .redirectErrorStream(true).start();
        try {
            awaitWatcher(spec);
            TargetInUseException refused = assertThrows(TargetInUseException.class,
                    () -> restore(backup, spec, false, ProgressListener.NONE));
            assertTrue(refused.getMessage().contains(spec) && refused.getMessage().contains("watcher client."),
                    refused.getMessage());
            assertTrue(refused.getMessage().contains("exclusive lock owner"), refused.getMessage());
            assertFalse(cluster.rbd("image-meta", "list", spec).contains(INCOMPLETE), "nothing was written");
            assertTrue(writer.isAlive(), "a refused restore leaves the writer alone");

            // With overwrite, the restore holds the lock: while it runs, the writer's next write fails.
            AtomicReference<String> writerEnd = new AtomicReference<>();
            RestoreResult result = restore(backup, spec, true, (done, total) -> {
                if (done > 0 && writerEnd.get() == null) {
                    writerEnd.set(awaitExit(writer));
                }
            });
            assertEquals(RestoreResult.RestoreMode.FULL_COPY, result.mode());
            assertTrue(writerEnd.get() != null && writerEnd.get().contains("Read-only file system"),
                    "the writer's writes failed during the restore: " + writerEnd.get());
            assertEquals(backup.sha256(), cluster.sha256(spec), "the volume holds exactly the backup");
            assertFalse(cluster.rbd("image-meta", "list", spec).contains(INCOMPLETE));
        } finally {
            writer.destroyForcibly();
            writer.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRestoreKilledMidwayLeavesTheTargetMarkedUntilARestoreFinishes() {
        String spec = volumes.create("half", 48 * MIB);
        volumes.writeRandom("half", 0, (int) (40 * MIB));
        StoredBackup backup = new BackupChain(session, cluster, spec).full();
        String target = volumes.create("half-target", 48 * MIB);
        volumes.writeRandom("half-target", 0, (int) (48 * MIB));
        String before = cluster.sha256(target);

        try (KillableOperation child = KillableOperation.restore(cluster, backup.ref(), target)) {
            child.killWhenStopped(120);
        }
        String after = cluster.sha256(target);
        assertNotEquals(before, after, "the killed restore had written part of the target");
        assertNotEquals(backup.sha256(), after, "and not all of it");
        assertEquals(backup.ref().id().value(), cluster.rbd("image-meta", "get", target, INCOMPLETE).strip(),
                "the half-written target says so");

        // The dead process's client still watches the target and owns its lock: fence it, as an
        // operator would (or wait for its watch to time out), then restore again.
        TestClients.fenceWatchers(cluster, target);
        restore(backup, target, true, ProgressListener.NONE);
        assertEquals(backup.sha256(), cluster.sha256(target));
        assertFalse(cluster.rbd("image-meta", "list", target).contains(INCOMPLETE),
                "a finished restore clears the mark");
    }

    /** Waits until the image has a watcher (the writer opened it). */
    private static void awaitWatcher(String spec) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (cluster.rbd("status", spec).contains("watcher=")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the writer never opened " + spec);
    }

    /** Waits (bounded) for the writer to exit; returns its exit code and output. */
    private static String awaitExit(Process writer) {
        try {
            if (!writer.waitFor(60, TimeUnit.SECONDS)) {
                return null;
            }
            return "exit " + writer.exitValue() + ": " + new String(writer.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
