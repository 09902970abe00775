package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.DeleteResult;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.ceph.store.BackupNames;
import io.cairn.ceph.testing.BackupChain;
import io.cairn.ceph.testing.CephSessions;
import io.cairn.ceph.testing.InterruptedRemovals;
import io.cairn.ceph.testing.StoredBackup;
import io.cairn.ceph.testing.TestVolumes;
import io.cairn.devtools.ceph.TestCluster;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A delete (or a source snapshot's removal) killed half-way is finished by the next one, as the model
 * test found it was not: librbd moves a snapshot to the trash namespace before removing it, and removes
 * an image's header before its directory entry, so a kill in between left a snapshot no lookup by name
 * finds - keeping its base image for ever - or an image the pool lists but nobody can open. Each state
 * is made exactly as librbd's own first step makes it ({@link InterruptedRemovals}).
 */
class InterruptedRemovalsAreFinishedTest {

    private static final long MIB = 1 << 20;

    private static TestCluster cluster;
    private static TestVolumes volumes;
    private static BackendSession session;

    @BeforeAll
    static void open() {
        cluster = TestCluster.primary();
        volumes = new TestVolumes(cluster, "volumes", 31);
        session = CephSessions.open(cluster);
    }

    @AfterAll
    static void close() {
        session.close();
        volumes.close();
    }

    @Test
    void aBaseSnapshotLeftInTheTrashIsRemovedByTheRepeatedDelete() {
        String spec = volumes.create("trashed-base-snap", 8 * MIB);
        volumes.writeRandom("trashed-base-snap", 0, (int) MIB);
        BackupChain chain = new BackupChain(session, cluster, spec);
        StoredBackup full = chain.full();
        volumes.writeRandom("trashed-base-snap", 4 * MIB, (int) MIB);
        StoredBackup incremental = chain.incremental();
        String base = "backups/" + BackupNames.baseImage("trashed-base-snap", full.ref().id());

        // The incremental's delete was killed right after librbd moved its base snapshot to the trash.
        InterruptedRemovals.trashSnapshot(cluster, base, baseSnapshotOf(base, incremental));
        assertEquals(List.of(baseSnapshotOf(base, full)), cluster.snapshots(base), "the trashed snapshot is not listed");

        DeleteResult result = chain.delete(incremental);
        assertEquals(List.of("user:" + baseSnapshotOf(base, full)), InterruptedRemovals.allSnapshots(cluster, base),
                "removed " + result.removed());
        restoreAndCompare(full, "volumes/trashed-base-snap-copy");

        // The full backup's delete killed the same way: the base image could never be removed.
        InterruptedRemovals.trashSnapshot(cluster, base, baseSnapshotOf(base, full));
        result = chain.delete(full);
        assertFalse(cluster.imageExists(base), "base image kept: " + result.notes());
        assertFalse(cluster.rbd("ls", "backups").lines().anyMatch(base.substring("backups/".length())::equals));
    }

    @Test
    void aBaseImageWhoseRemovalStoppedAfterItsHeaderIsRemovedByTheRepeatedDelete() {
        String spec = volumes.create("headless-base", 8 * MIB);
        volumes.writeRandom("headless-base", 0, (int) MIB);
        BackupChain chain = new BackupChain(session, cluster, spec);
        StoredBackup full = chain.full();
        String base = "backups/" + BackupNames.baseImage("headless-base", full.ref().id());

        // The delete removed the snapshot and was killed inside rbd_remove, after the header went.
        cluster.rbd("snap", "rm", "--no-progress", base + "@" + baseSnapshotOf(base, full));
        InterruptedRemovals.removeHeader(cluster, base);
        assertTrue(listed(base), "the pool still lists " + base);
        assertFalse(cluster.imageExists(base), base + " can no longer be opened");

        DeleteResult result = chain.delete(full);

        assertFalse(listed(base), "the half-removed base is still listed: " + result.removed() + " " + result.notes());
        assertFalse(cluster.objectExists("backups", BackupNames.metadataObject(full.ref().id())));
    }

    @Test
    void aHalfRemovedImageWithAnotherIdThanRecordedIsLeftAlone() {
        String spec = volumes.create("headless-foreign", 8 * MIB);
        volumes.writeRandom("headless-foreign", 0, (int) MIB);
        BackupChain chain = new BackupChain(session, cluster, spec);
        StoredBackup full = chain.full();
        String base = "backups/" + BackupNames.baseImage("headless-foreign", full.ref().id());
        // Our base went; someone made an image of the same name, whose removal then stopped half-way.
        cluster.rbd("snap", "purge", "--no-progress", base);
        cluster.rbd("rm", "--no-progress", base);
        cluster.rbd("create", "--size", "4M", base);
        InterruptedRemovals.removeHeader(cluster, base);

        DeleteResult result = chain.delete(full);

        assertTrue(listed(base), "removed an image recorded for no backup: " + result.removed());
        assertTrue(result.notes().stream().anyMatch(note -> note.contains("left alone")), result.notes().toString());
        cluster.rbd("rm", "--no-progress", base);
    }

    @Test
    void aSourceSnapshotLeftInTheTrashIsRemovedWhenTheHostAsksAgain() {
        String spec = volumes.create("trashed-source-snap", 8 * MIB);
        volumes.writeRandom("trashed-source-snap", 0, (int) MIB);
        VolumeSnapshot ours = session.snapshots().create(new SnapshotRequest(BackupId.random(), new VolumeRef(spec)));
        VolumeSnapshot other = session.snapshots().create(new SnapshotRequest(BackupId.random(), new VolumeRef(spec)));
        // Both removals were killed after librbd's first step; the host asks again for its own only.
        InterruptedRemovals.trashSnapshot(cluster, spec, ours.name());
        InterruptedRemovals.trashSnapshot(cluster, spec, other.name());

        session.snapshots().remove(ours);

        assertEquals(List.of("trash:" + other.name()), InterruptedRemovals.allSnapshots(cluster, spec));
        // A recorded snapshot that is simply gone is still a removal done.
        session.snapshots().remove(ours);
    }

    private static void restoreAndCompare(StoredBackup backup, String target) {
        session.restores().restore(new RestoreRequest(backup.ref(), new VolumeRef(target), false, ProgressListener.NONE));
        assertEquals(backup.sha256(), cluster.sha256(target));
        cluster.rbd("rm", "--no-progress", target);
    }

    /** The backup's snapshot on its base image (named like its source snapshot). */
    private static String baseSnapshotOf(String base, StoredBackup backup) {
        return cluster.snapshots(base).stream()
                .filter(name -> name.startsWith("backup." + backup.ref().id().value() + ".snap.")).findFirst()
                .orElseThrow(() -> new AssertionError("no snapshot of " + backup.ref().id() + " on " + base));
    }

    private static boolean listed(String image) {
        String pool = image.substring(0, image.indexOf('/'));
        return cluster.rbd("ls", pool).lines().anyMatch(image.substring(pool.length() + 1)::equals);
    }
}
