package io.cairn.ceph.ops;

import io.cairn.api.error.BackupDataMissingException;
import io.cairn.api.model.BackupRef;
import io.cairn.ceph.naming.BackupNames;
import io.cairn.ceph.naming.RbdVolume;
import io.cairn.ceph.rbd.RbdImageHandle;
import io.cairn.ceph.rbd.RbdImageHandle.SnapshotInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a stored backup lives: its base image and its snapshot there.
 *
 * @param baseImage    the base image in the backup pool
 * @param snapshot     the backup's snapshot on it
 * @param sizeBytes    the volume size the backup holds
 */
record RestorePoint(String baseImage, String snapshot, long sizeBytes) {

    /**
     * Finds a backup's base image - the one its service metadata names, else the names the reference
     * driver would have used - and its snapshot there.
     *
     * @return empty when no base image exists
     */
    static Optional<String> findBase(CephConnections connections, BackupRef backup) {
        for (String candidate : baseCandidates(backup)) {
            Optional<RbdImageHandle> base = connections.openBackupImage(candidate, null, true);
            if (base.isPresent()) {
                base.get().close();
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static List<String> baseCandidates(BackupRef backup) {
        List<String> names = new ArrayList<>();
        backup.metadata().get(CephTransfer.BASE).ifPresent(names::add);
        String volumeName = backup.volume().isFile()
                ? BackupNames.fileVolumeName(backup.volume().filePath().toString())
                : RbdVolume.parse(backup.volume()).image();
        names.add(BackupNames.baseImage(volumeName, backup.id()));
        names.add(BackupNames.legacyBaseImage(volumeName));
        return names.stream().distinct().toList();
    }

    /** The snapshots on {@code base} that belong to {@code backup}. */
    static List<SnapshotInfo> snapshotsOf(RbdImageHandle base, BackupRef backup) {
        return base.snapshots().stream().filter(s -> BackupNames.isSnapshotOf(s.name(), backup.id())).toList();
    }

    /**
     * Locates the restore point of a backup.
     *
     * @throws BackupDataMissingException when the base image or the backup's snapshot is gone
     */
    static RestorePoint locate(CephConnections connections, BackupRef backup) {
        String pool = connections.settings().pool();
        String baseName = findBase(connections, backup).orElseThrow(() -> new BackupDataMissingException(
                "backup " + backup.id() + " cannot be restored: no base image " + baseCandidates(backup)
                        + " exists in pool " + pool));
        try (RbdImageHandle base = connections.openBackupImage(baseName, null, true).orElseThrow(
                () -> new BackupDataMissingException("base image " + pool + "/" + baseName + " vanished"))) {
            List<SnapshotInfo> matching = snapshotsOf(base, backup);
            if (matching.isEmpty()) {
                throw new BackupDataMissingException("backup " + backup.id() + " cannot be restored: its snapshot"
                        + " is gone from base image " + pool + "/" + baseName);
            }
            SnapshotInfo snapshot = matching.get(0);
            return new RestorePoint(baseName, snapshot.name(), snapshot.size());
        }
    }
}
