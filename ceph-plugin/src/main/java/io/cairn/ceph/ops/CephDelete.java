package io.cairn.ceph.ops;

import io.cairn.api.error.BackendException;
import io.cairn.api.model.BackupRef;
import io.cairn.api.operation.DeleteOperation;
import io.cairn.api.operation.DeleteRequest;
import io.cairn.api.operation.DeleteResult;
import io.cairn.ceph.naming.BackupNames;
import io.cairn.ceph.naming.RbdVolume;
import io.cairn.ceph.rbd.NativeCallException;
import io.cairn.ceph.rbd.RbdImageHandle;
import io.cairn.ceph.rbd.RbdImageHandle.SnapshotInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Deletes a backup the way the reference driver does, keeping every other backup restorable:
 * <ol>
 *   <li>remove the backup's snapshot from its base image;</li>
 *   <li>remove the base image once no backup snapshot is left on it (retrying while it is busy);</li>
 *   <li>remove the backup's snapshot from the source volume, if it is still there;</li>
 *   <li>remove the metadata object.</li>
 * </ol>
 * Each step treats "already gone" as done, so a delete interrupted by a crash can be repeated.
 */
public final class CephDelete implements DeleteOperation {

    private final CephConnections connections;
    private final CephSnapshots snapshots;

    public CephDelete(CephConnections connections, CephSnapshots snapshots) {
        this.connections = connections;
        this.snapshots = snapshots;
    }

    @Override
    public DeleteResult delete(DeleteRequest request) {
        BackupRef backup = request.backup();
        String pool = connections.settings().pool();
        List<String> removed = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try {
            Optional<String> baseName = RestorePoint.findBase(connections, backup);
            if (baseName.isEmpty()) {
                notes.add("no base image of backup " + backup.id() + " in pool " + pool + " (already deleted?)");
            } else {
                removeFromBase(backup, baseName.get(), removed, notes);
            }
            removeSourceSnapshot(backup, removed);
            if (new MetadataObjects(connections.backupPool(), pool).remove(backup.id())) {
                removed.add("metadata object " + pool + "/" + BackupNames.metadataObject(backup.id()));
            }
            return new DeleteResult(removed, notes);
        } catch (NativeCallException e) {
            throw connections.translate(e, "delete of backup " + backup.id());
        }
    }

    private void removeFromBase(BackupRef backup, String baseName, List<String> removed, List<String> notes) {
        String baseSpec = connections.settings().pool() + "/" + baseName;
        boolean othersRemain;
        Optional<RbdImageHandle> opened = connections.openBackupImage(baseName, null, false);
        if (opened.isEmpty()) {
            return;
        }
        try (RbdImageHandle base = opened.get()) {
            List<SnapshotInfo> ours = RestorePoint.snapshotsOf(base, backup);
            if (ours.size() > 1) {
                throw new BackendException("base image " + baseSpec + " holds " + ours.size() + " snapshots of backup "
                        + backup.id() + "; refusing to guess which to remove");
            }
            for (SnapshotInfo snapshot : ours) {
                if (snapshots.removeIfPresent(base, snapshot.name())) {
                    removed.add("snapshot " + baseSpec + "@" + snapshot.name());
                }
            }
            othersRemain = base.snapshots().stream()
                    .anyMatch(s -> BackupNames.backupIdOfSnapshot(s.name()).isPresent());
        }
        if (othersRemain) {
            notes.add("base image " + baseSpec + " kept: other backups still live in it");
            return;
        }
        // Closed above: our own handle must not make the image busy.
        if (new BaseImages(connections.backupPool(), connections.settings()).remove(baseName)) {
            removed.add("base image " + baseSpec);
        }
    }

    private void removeSourceSnapshot(BackupRef backup, List<String> removed) {
        if (backup.volume().isFile()) {
            return;
        }
        RbdVolume volume = RbdVolume.parse(backup.volume());
        Optional<RbdImageHandle> opened = connections.openSourceIfExists(volume, false);
        if (opened.isEmpty()) {
            return;
        }
        try (RbdImageHandle source = opened.get()) {
            for (SnapshotInfo snapshot : source.snapshots()) {
                if (BackupNames.isSnapshotOf(snapshot.name(), backup.id())
                        && snapshots.removeIfPresent(source, snapshot.name())) {
                    removed.add("snapshot " + volume + "@" + snapshot.name());
                }
            }
        }
    }
}
