package io.cairn.ceph.testing;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.DeleteRequest;
import io.cairn.api.operation.DeleteResult;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.api.operation.TransferRequest;
import io.cairn.api.operation.TransferResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Takes backups of one volume the way the host does under plugin API 1.1 - snapshot, transfer with a
 * journal (incremental from the newest backup, with its snapshot as recorded), then removal of the
 * previous backup's source snapshot, which only the newest backup keeps - and records each source
 * snapshot's checksum as read by the rbd CLI on the source cluster.
 */
public final class BackupChain {

    private final BackendSession session;
    private final TestCluster sourceCluster;
    private final VolumeRef volume;
    private final List<StoredBackup> backups = new ArrayList<>();

    public BackupChain(BackendSession session, TestCluster sourceCluster, String volume) {
        this.session = session;
        this.sourceCluster = sourceCluster;
        this.volume = new VolumeRef(volume);
    }

    /** A full backup, starting a new chain. */
    public StoredBackup full() {
        return take(Optional.empty(), Map.of());
    }

    /** An incremental backup from the newest one. */
    public StoredBackup incremental() {
        return take(Optional.of(newest().ref()), Map.of());
    }

    public StoredBackup take(Optional<BackupRef> parent, Map<String, String> labels) {
        BackupId id = BackupId.random();
        VolumeSnapshot snapshot = session.snapshots().create(new SnapshotRequest(id, volume));
        String sha = volume.isFile()
                ? TestCluster.sha256(volume.filePath())
                : sourceCluster.sha256(volume.locator() + "@" + snapshot.name());
        RecordingJournal journal = new RecordingJournal();
        TransferResult result = session.transfers().transfer(
                new TransferRequest(snapshot, parent, labels, ProgressListener.NONE, journal));
        if (!backups.isEmpty()) {
            newest().ref().snapshot().ifPresent(session.snapshots()::remove);
        }
        StoredBackup stored = new StoredBackup(new BackupRef(id, volume, result.metadata(), Optional.of(snapshot),
                journal.resources()), snapshot.name(), snapshot.sizeBytes(), sha, result);
        backups.add(stored);
        return stored;
    }

    /** Deletes a backup as the host does: the backend's delete, then the backup's source snapshot. */
    public DeleteResult delete(StoredBackup backup) {
        DeleteResult result = session.deletions().delete(new DeleteRequest(backup.ref()));
        backup.ref().snapshot().ifPresent(session.snapshots()::remove);
        return result;
    }

    public StoredBackup newest() {
        return backups.get(backups.size() - 1);
    }

    public List<StoredBackup> backups() {
        return List.copyOf(backups);
    }
}
