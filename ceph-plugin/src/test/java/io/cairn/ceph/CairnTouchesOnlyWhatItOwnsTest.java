package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.error.ChainBrokenException;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.StoredResource;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.DeleteRequest;
import io.cairn.api.operation.DeleteResult;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.api.operation.TransferRequest;
import io.cairn.ceph.store.BackupNames;
import io.cairn.ceph.store.CephResources;
import io.cairn.ceph.testing.BackupChain;
import io.cairn.ceph.testing.CephSessions;
import io.cairn.ceph.testing.KillableOperation;
import io.cairn.ceph.testing.StoredBackup;
import io.cairn.ceph.testing.TestVolumes;
import io.cairn.devtools.ceph.TestCluster;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Ceph plugin removes only what it created for a backup and diffs only from the exact snapshot
 * recorded (issue 9, findings 1, 2, 4 and 5): snapshots and images that merely look like Cairn's
 * survive every operation, a same-named impostor snapshot breaks the chain instead of producing a
 * backup that restores other bytes, and the delete of a backup that never finished removes its own
 * objects and nothing of its parent's. What a backup creates is named in the host's records before it
 * exists (the source snapshot's exact name before {@code rbd_snap_create}, the base image's before
 * {@code rbd create}), so a backup killed in between leaves nothing its clean-up cannot find: a base image
 * recorded under the backup's own name and created since its snapshot is removed even before its Cairn
 * mark was written, and no other unmarked image is.
 */
class CairnTouchesOnlyWhatItOwnsTest {

    private static final long MIB = 1 << 20;

    private static TestCluster cluster;
    private static TestVolumes volumes;
    private static BackendSession session;

    @BeforeAll
    static void open() {
        cluster = TestCluster.primary();
        volumes = new TestVolumes(cluster, "volumes", 9);
        session = CephSessions.open(cluster);
    }

    @AfterAll
    static void close() {
        session.close();
        volumes.close();
    }

    @Test
    void foreignBackupSnapshotsOnTheSourceSurviveEveryOperation() {
        String spec = volumes.create("shared-src", 16 * MIB);
        volumes.writeRandom("shared-src", 0, (int) MIB);
        // The reference driver's snapshot, and another Cairn cluster file's, on the same volume.
        List<String> foreign = List.of("backup.5e2b0c1d-openstack.snap.1453210245.16",
                "backup." + BackupId.random() + ".snap.1700000000.000001");
        for (String name : foreign) {
            cluster.rbd("snap", "create", "--no-progress", spec + "@" + name);
        }
        BackupChain chain = new BackupChain(session, cluster, spec);
        StoredBackup full = chain.full();
        volumes.writeRandom("shared-src", 2 * MIB, (int) MIB);
        StoredBackup incremental = chain.incremental();
        // What a plugin API 1.0 host still calls after every backup and before every sweep.
        session.snapshots().removeAllBut(new VolumeRef(spec), incremental.ref().id());
        session.snapshots().list(new VolumeRef(spec)).forEach(session.snapshots()::remove);
        assertTrue(cluster.snapshots(spec).containsAll(foreign), "after backups: " + cluster.snapshots(spec));

        // A failed backup (its parent's restore point is gone) and its clean-up.
        String base = "backups/" + BackupNames.baseImage("shared-src", full.ref().id());
        VolumeSnapshot failed = session.snapshots().create(new SnapshotRequest(BackupId.random(), new VolumeRef(spec)));
        BackupRef gone = new BackupRef(full.ref().id(), full.ref().volume(),
                ServiceMetadata.of("base", "shared-src.backup.none"), full.ref().snapshot(), List.of());
        try {
            session.transfers().transfer(TransferRequest.incremental(failed, gone));
            fail("an incremental from a parent whose base image is gone was stored");
        } catch (ChainBrokenException expected) {
            // the chain is broken; the host removes the failed backup's snapshot
        }
        session.deletions().delete(new DeleteRequest(new BackupRef(failed.backupId(), failed.volume(),
                ServiceMetadata.EMPTY)));
        session.snapshots().remove(failed);

        // Restores, deletes of every backup and of their snapshots.
        session.restores().restore(new RestoreRequest(incremental.ref(), new VolumeRef("volumes/shared-src-copy"),
                false, ProgressListener.NONE));
        chain.delete(full);
        chain.delete(incremental);
        assertFalse(cluster.imageExists(base));
        assertEquals(foreign, cluster.snapshots(spec), "only the foreign snapshots are left, all of them");
        cluster.rbd("rm", "--no-progress", "volumes/shared-src-copy");
    }

    @Test
    void aForeignLegacyBaseImageSurvivesTheDeleteOfABackupWhoseBaseIsGone() {
        String spec = volumes.create("v3", 8 * MIB);
        volumes.writeRandom("v3", 0, 4096);
        BackupChain chain = new BackupChain(session, cluster, spec);
        StoredBackup backup = chain.full();
        String base = "backups/" + BackupNames.baseImage("v3", backup.ref().id());
        cluster.rbd("snap", "purge", "--no-progress", base);
        cluster.rbd("rm", "--no-progress", base);
        // An image Cairn never created, under the reference driver's old-style base name.
        String legacy = "backups/v3.backup.base";
        cluster.rbd("create", "--size", "4M", legacy);
        String legacySum = cluster.sha256(legacy);

        DeleteResult result = chain.delete(backup);

        assertTrue(cluster.imageExists(legacy), "removed " + legacy + ": " + result.removed());
        assertEquals(legacySum, cluster.sha256(legacy));
        assertTrue(result.removed().stream().noneMatch(line -> line.contains("v3.backup.base")), result.removed().toString());
        assertFalse(cluster.objectExists("backups", BackupNames.metadataObject(backup.ref().id())));
        cluster.rbd("rm", "--no-progress", legacy);
    }

    @Test
    void aSameNamedImpostorOfTheParentSnapshotBreaksTheChain() {
        String spec = volumes.create("impostor", 16 * MIB);
        volumes.writeRandom("impostor", 0, (int) (4 * MIB));
        BackupChain chain = new BackupChain(session, cluster, spec);
        StoredBackup parent = chain.full();
        // Someone removes the parent's snapshot, writes, makes a snapshot of the same name, writes again.
        cluster.rbd("snap", "rm", "--no-progress", spec + "@" + parent.snapshot());
        volumes.writeRandom("impostor", 0, (int) MIB);
        cluster.rbd("snap", "create", "--no-progress", spec + "@" + parent.snapshot());
        volumes.writeRandom("impostor", 8 * MIB, (int) MIB);

        // As recorded by a 1.1 host (the snapshot's id), and by a 1.0 host (only the parent's metadata).
        BackupRef withoutSnapshot = new BackupRef(parent.ref().id(), parent.ref().volume(), parent.ref().metadata());
        for (BackupRef recorded : List.of(parent.ref(), withoutSnapshot)) {
            VolumeSnapshot snapshot = session.snapshots()
                    .create(new SnapshotRequest(BackupId.random(), new VolumeRef(spec)));
            String expected = cluster.sha256(spec + "@" + snapshot.name());
            try {
                session.transfers().transfer(TransferRequest.incremental(snapshot, recorded));
            } catch (ChainBrokenException e) {
                assertTrue(e.getMessage().contains(parent.snapshot()) && e.getMessage().contains("snapshot id"),
                        e.getMessage());
                session.snapshots().remove(snapshot);
                continue;
            }
            // The backend diffed from the impostor: show what that backup would restore.
            BackupRef stored = new BackupRef(snapshot.backupId(), snapshot.volume(), parent.ref().metadata());
            String target = "volumes/impostor-restored-" + snapshot.backupId();
            session.restores().restore(new RestoreRequest(stored, new VolumeRef(target), false, ProgressListener.NONE));
            String restored = cluster.sha256(target);
            fail("an incremental diffed from a same-named impostor of its parent's snapshot; its restore "
                    + (restored.equals(expected) ? "happens to match" : "differs from its snapshot (" + restored
                    + " != " + expected + ")"));
        }
        assertEquals(List.of(parent.snapshot()), cluster.snapshots(spec), "only the impostor is left, untouched");
        chain.delete(parent);
        assertEquals(List.of(parent.snapshot()), cluster.snapshots(spec),
                "removing the parent's recorded snapshot spares the impostor");
        cluster.rbd("snap", "rm", "--no-progress", spec + "@" + parent.snapshot());
    }

    @Test
    void deletingAnIncrementalKilledMidwayRemovesItsOwnObjectsAndNothingOfItsParent() {
        String spec = volumes.create("killed-incr", 16 * MIB);
        volumes.writeRandom("killed-incr", 0, (int) (3 * MIB));
        BackupChain chain = new BackupChain(session, cluster, spec);
        StoredBackup full = chain.full();
        volumes.writeRandom("killed-incr", 5 * MIB, (int) MIB);
        StoredBackup parent = chain.incremental();
        volumes.writeRandom("killed-incr", 9 * MIB, (int) MIB);
        String base = "backups/" + BackupNames.baseImage("killed-incr", full.ref().id());

        // SIGKILL once the transfer has stored everything, before the host could record it available.
        BackupId id = BackupId.random();
        List<StoredResource> journal;
        VolumeSnapshot snapshot;
        try (KillableOperation child = KillableOperation.transfer(cluster, spec, id, parent.ref(),
                KillableOperation.AFTER_TRANSFER)) {
            child.killWhenStopped(120);
            journal = child.journal();
            snapshot = child.snapshot(id, spec);
        }
        String restorePoint = base + "@" + snapshot.name();
        assertTrue(cluster.snapshots(base).contains(snapshot.name()), "the kill left the restore point");
        assertTrue(cluster.objectExists("backups", BackupNames.metadataObject(id)));

        // Recovery: the never-finished backup arrives with empty metadata and its journaled resources -
        // and, as a 1.0 host made it, once more with its parent's metadata. Neither touches the parent.
        BackupRef interrupted = new BackupRef(id, new VolumeRef(spec), ServiceMetadata.EMPTY, Optional.of(snapshot),
                journal);
        DeleteResult result = session.deletions().delete(new DeleteRequest(interrupted));
        assertEquals(List.of("snapshot " + restorePoint, "digests object backups/" + BackupNames.digestObject(id),
                "metadata object backups/" + BackupNames.metadataObject(id)), result.removed());
        assertEquals(List.of("base-snapshot " + restorePoint, "digest-object backups/" + BackupNames.digestObject(id),
                "metadata-object backups/" + BackupNames.metadataObject(id)),
                journal.stream().filter(StoredResource::hasIdentity).map(r -> r.kind() + " " + r.name()).sorted()
                        .toList(), "what the journal holds, each with its identity: " + journal);
        session.deletions().delete(new DeleteRequest(new BackupRef(id, new VolumeRef(spec), parent.ref().metadata())));
        session.snapshots().remove(snapshot);

        assertEquals(List.of(full.snapshot(), parent.snapshot()), cluster.snapshots(base));
        assertEquals(List.of(parent.snapshot()), cluster.snapshots(spec));
        assertTrue(cluster.objectExists("backups", BackupNames.metadataObject(parent.ref().id())));
        for (StoredBackup backup : chain.backups()) {
            String target = "volumes/killed-incr-check-" + backup.ref().id();
            session.restores().restore(new RestoreRequest(backup.ref(), new VolumeRef(target), false,
                    ProgressListener.NONE));
            assertEquals(backup.sha256(), cluster.sha256(target), "backup " + backup.ref().id() + " restores as stored");
            cluster.rbd("rm", "--no-progress", target);
        }
        // The chain goes on from the parent as if nothing happened.
        StoredBackup next = chain.incremental();
        assertEquals(io.cairn.api.operation.BackupKind.INCREMENTAL, next.result().kind());
    }

    @Test
    void theSourceSnapshotIsNamedBeforeItIsTaken() {
        String spec = volumes.create("named-first", 4 * MIB);
        List<String> announced = new ArrayList<>();
        VolumeSnapshot snapshot = session.snapshots().create(new SnapshotRequest(BackupId.random(), new VolumeRef(spec)),
                name -> {
                    assertFalse(cluster.snapshots(spec).contains(name), "snapshot " + name + " existed before it was"
                            + " recorded");
                    announced.add(name);
                });
        assertEquals(List.of(snapshot.name()), announced, "the name recorded first is the name it got");
        assertEquals(List.of(snapshot.name()), cluster.snapshots(spec));
        session.snapshots().remove(snapshot);
        assertEquals(List.of(), cluster.snapshots(spec));
    }

    @Test
    void anUnmarkedBaseRecordedUnderTheBackupsOwnNameIsRemovedAndNoOtherImage() {
        BackupId killed = BackupId.random();
        BackupId other = BackupId.random();
        VolumeRef volume = new VolumeRef("volumes/unmarked");
        VolumeSnapshot snapshot = new VolumeSnapshot(killed, volume, BackupNames.snapshot(killed, Instant.now()),
                4 * MIB, Instant.now(), "4");
        // As a full backup killed right after rbd create leaves it: recorded by name, no image id, no mark.
        String own = "backups/" + BackupNames.baseImage("unmarked", killed);
        // An unmarked image of another backup's name: recorded here or not, it is never this backup's.
        String foreign = "backups/" + BackupNames.baseImage("unmarked", other);
        cluster.rbd("create", "--size", "4M", own);
        cluster.rbd("create", "--size", "4M", foreign);
        List<StoredResource> journal = List.of(CephResources.baseImage("backups", BackupNames.baseImage("unmarked",
                killed)), CephResources.baseImage("backups", BackupNames.baseImage("unmarked", other)));

        DeleteResult result = session.deletions().delete(new DeleteRequest(new BackupRef(killed, volume,
                ServiceMetadata.EMPTY, Optional.of(snapshot), journal)));

        assertFalse(cluster.imageExists(own), "the killed backup's own base stayed: " + result);
        assertTrue(result.removed().contains("base image " + own), result.removed().toString());
        assertTrue(cluster.imageExists(foreign), "removed " + foreign + ", which is not the backup's: " + result);
        cluster.rbd("rm", "--no-progress", foreign);
    }
}
