package io.cairn.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.error.BackendException;
import io.cairn.api.error.ChainBrokenException;
import io.cairn.api.error.VolumeNotFoundException;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.StoredResource;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.DeleteRequest;
import io.cairn.api.operation.DeleteResult;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.api.operation.TransferRequest;
import io.cairn.ceph.store.BackupNames;
import io.cairn.ceph.testing.BackupChain;
import io.cairn.ceph.testing.CephSessions;
import io.cairn.ceph.testing.RecordingJournal;
import io.cairn.ceph.testing.StoredBackup;
import io.cairn.ceph.testing.TestVolumes;
import io.cairn.devtools.ceph.TestCluster;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input and failures during a backup: clear, typed errors that name the volume, and nothing the
 * backup created left behind (no base image, no metadata object); the source snapshot is the host's
 * and stays until the host removes it.
 */
class BackupErrorsLeaveNothingBehindTest {

    private static final long MIB = 1 << 20;

    private static TestCluster cluster;
    private static TestVolumes volumes;
    private static BackendSession session;

    @BeforeAll
    static void open() {
        cluster = TestCluster.primary();
        volumes = new TestVolumes(cluster, "volumes", 7);
        session = CephSessions.open(cluster);
    }

    @AfterAll
    static void close() {
        session.close();
        volumes.close();
    }

    @Test
    void missingVolumeIsNamedInTheError() {
        VolumeNotFoundException e = assertThrows(VolumeNotFoundException.class, () -> session.snapshots()
                .create(new SnapshotRequest(BackupId.random(), new VolumeRef("volumes/nope"))));
        assertTrue(e.getMessage().contains("volumes/nope"), e.getMessage());
        assertTrue(e.getMessage().contains("test-primary"), "names the cluster: " + e.getMessage());
    }

    @Test
    void missingPoolIsAMissingVolume() {
        VolumeNotFoundException e = assertThrows(VolumeNotFoundException.class, () -> session.snapshots()
                .create(new SnapshotRequest(BackupId.random(), new VolumeRef("nopool/img"))));
        assertTrue(e.getMessage().contains("pool nopool does not exist"), e.getMessage());
    }

    @Test
    void malformedVolumeNameIsRefused() {
        BackendException e = assertThrows(BackendException.class, () -> session.snapshots()
                .create(new SnapshotRequest(BackupId.random(), new VolumeRef("just-a-name"))));
        assertTrue(e.getMessage().contains("POOL/IMAGE"), e.getMessage());
    }

    @Test
    void missingFileIsAMissingVolume() {
        assertThrows(VolumeNotFoundException.class, () -> session.snapshots()
                .create(new SnapshotRequest(BackupId.random(), new VolumeRef("file:/nonexistent/disk.img"))));
    }

    @Test
    void parentSnapshotGoneFromSourceBreaksTheChainAndLeavesNothing() {
        String spec = volumes.create("broken-chain", 16 * MIB);
        volumes.writeRandom("broken-chain", 0, (int) MIB);
        BackupChain chain = new BackupChain(session, cluster, spec);
        StoredBackup full = chain.full();
        cluster.rbd("snap", "rm", "--no-progress", spec + "@" + full.snapshot());
        String base = "backups/" + BackupNames.baseImage("broken-chain", full.ref().id());

        BackupId id = BackupId.random();
        VolumeSnapshot snapshot = session.snapshots().create(new SnapshotRequest(id, new VolumeRef(spec)));
        RecordingJournal journal = new RecordingJournal();
        ChainBrokenException e = assertThrows(ChainBrokenException.class, () -> session.transfers()
                .transfer(new TransferRequest(snapshot, Optional.of(full.ref()), Map.of(), ProgressListener.NONE,
                        journal)));
        assertTrue(e.getMessage().contains(full.snapshot()) && e.getMessage().contains("no longer exists"),
                e.getMessage());

        assertEquals(List.of(snapshot.name()), cluster.snapshots(spec),
                "the new backup's source snapshot is the host's: the backend leaves it");
        assertEquals(List.of(full.snapshot()), cluster.snapshots(base), "the base image is untouched");
        assertFalse(cluster.objectExists("backups", BackupNames.metadataObject(id)));
        assertEquals(List.of(), journal.resources(), "nothing was created, so nothing was recorded");
        session.snapshots().remove(snapshot);
        assertEquals(List.of(), cluster.snapshots(spec));
    }

    @Test
    void parentRestorePointGoneFromBaseBreaksTheChain() {
        String spec = volumes.create("broken-base", 16 * MIB);
        volumes.writeRandom("broken-base", 0, (int) MIB);
        BackupChain chain = new BackupChain(session, cluster, spec);
        StoredBackup full = chain.full();
        String base = "backups/" + BackupNames.baseImage("broken-base", full.ref().id());
        cluster.rbd("snap", "rm", "--no-progress", base + "@" + full.snapshot());

        VolumeSnapshot snapshot = session.snapshots()
                .create(new SnapshotRequest(BackupId.random(), new VolumeRef(spec)));
        ChainBrokenException e = assertThrows(ChainBrokenException.class,
                () -> session.transfers().transfer(TransferRequest.incremental(snapshot, full.ref())));
        assertTrue(e.getMessage().contains("restore point") && e.getMessage().contains(base), e.getMessage());
        assertEquals(List.of(full.snapshot(), snapshot.name()), cluster.snapshots(spec),
                "source snapshots are the host's: none removed");
    }

    @Test
    void failedFullBackupLeavesOthersImagesAloneAndItsSnapshotToTheHost() {
        String spec = volumes.create("base-taken", 16 * MIB);
        volumes.writeRandom("base-taken", 0, (int) MIB);
        BackupId id = BackupId.random();
        // Someone else's image already has the name this backup's base would get.
        String squatter = "backups/" + BackupNames.baseImage("base-taken", id);
        cluster.rbd("create", "--size", "1M", squatter);
        String squatterSum = cluster.sha256(squatter);

        VolumeSnapshot snapshot = session.snapshots().create(new SnapshotRequest(id, new VolumeRef(spec)));
        RecordingJournal journal = new RecordingJournal();
        BackendException e = assertThrows(BackendException.class, () -> session.transfers().transfer(
                new TransferRequest(snapshot, Optional.empty(), Map.of(), ProgressListener.NONE, journal)));
        assertTrue(e.getMessage().contains("exists already"), e.getMessage());

        assertEquals(List.of(snapshot.name()), cluster.snapshots(spec), "the source snapshot is the host's");
        assertTrue(cluster.imageExists(squatter), "an image the backup did not create is never removed");
        assertEquals(squatterSum, cluster.sha256(squatter));
        assertFalse(cluster.objectExists("backups", BackupNames.metadataObject(id)));
        assertEquals(List.of(StoredResource.intended("base-image", squatter)), journal.resources(),
                "the base image was recorded before the attempt to create it, and never got an identity");

        // The host's clean-up of the failed backup: its delete, given what was recorded, still spares it.
        DeleteResult deleted = session.deletions().delete(new DeleteRequest(
                new BackupRef(id, new VolumeRef(spec), ServiceMetadata.EMPTY, Optional.of(snapshot),
                        journal.resources())));
        assertEquals(List.of(), deleted.removed());
        assertTrue(deleted.notes().stream().anyMatch(n -> n.contains(squatter) && n.contains("kept")),
                deleted.notes().toString());
        assertEquals(squatterSum, cluster.sha256(squatter));
        session.snapshots().remove(snapshot);
        cluster.rbd("rm", "--no-progress", squatter);
    }

    @Test
    void zeroSizedVolumeIsRefused() {
        String spec = volumes.create("empty-size", 0);
        BackendException e = assertThrows(BackendException.class, () -> session.snapshots()
                .create(new SnapshotRequest(BackupId.random(), new VolumeRef(spec))));
        assertTrue(e.getMessage().contains("size 0"), e.getMessage());
    }

    @Test
    void fileSourcesAreFullOnly() {
        String spec = volumes.create("for-parent", 8 * MIB);
        volumes.writeRandom("for-parent", 0, 4096);
        StoredBackup parent = new BackupChain(session, cluster, spec).full();
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("cairn-src", ".img");
            java.nio.file.Files.write(file, new byte[8192]);
            VolumeSnapshot snapshot = session.snapshots()
                    .create(new SnapshotRequest(BackupId.random(), VolumeRef.ofFile(file)));
            BackendException e = assertThrows(BackendException.class,
                    () -> session.transfers().transfer(TransferRequest.incremental(snapshot, parent.ref())));
            assertTrue(e.getMessage().contains("only full backups"), e.getMessage());
            java.nio.file.Files.delete(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
