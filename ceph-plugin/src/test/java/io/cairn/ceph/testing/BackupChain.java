package io.cairn.ceph.testing;

import io.cairn.api.BackendSession;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.api.operation.TransferRequest;
import io.cairn.api.operation.TransferResult;
import io.cairn.devtools.ceph.TestCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Takes backups of one volume the way the host does - snapshot, transfer (incremental from the newest
 * backup when there is one), then remove older source snapshots - and records each source snapshot's
 * checksum as read by the rbd CLI on the source cluster.
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
        return take(Optional.of(backups.get(backups.size() - 1).ref()), Map.of());
    }

    public StoredBackup take(Optional<BackupRef> parent, Map<String, String> labels) {
        BackupId id = BackupId.random();
        VolumeSnapshot snapshot = session.snapshots().create(new SnapshotRequest(id, volume));
        String sha = volume.isFile()
                ? TestCluster.sha256(volume.filePath())
                : sourceCluster.sha256(volume.locator() + "@" + snapshot.name());
        TransferResult result = session.transfers().transfer(
                new TransferRequest(snapshot, parent, labels, io.cairn.api.ProgressListener.NONE));
        session.snapshots().removeAllBut(volume, id);
        StoredBackup stored = new StoredBackup(new BackupRef(id, volume, result.metadata()), snapshot.name(),
                snapshot.sizeBytes(), sha, result);
        backups.add(stored);
        return stored;
    }

    public List<StoredBackup> backups() {
        return List.copyOf(backups);
    }
}
