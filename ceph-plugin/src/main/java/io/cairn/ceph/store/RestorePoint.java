package io.cairn.ceph.store;

import io.cairn.api.error.BackupDataMissingException;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.StoredResource;
import io.cairn.ceph.cluster.CephConnections;
import io.cairn.ceph.rbd.RbdImageHandle.SnapshotInfo;
import io.cairn.ceph.rbd.RbdImageHandle;
import java.util.List;

/**
 * Where a stored backup lives: its base image and its snapshot there.
 *
 * @param baseImage    the base image in the backup pool
 * @param snapshot     the backup's snapshot on it
 * @param sizeBytes    the volume size the backup holds
 */
public record RestorePoint(String baseImage, String snapshot, long sizeBytes) {

    /** The snapshots on {@code base} named for backup {@code id}. */
    public static List<SnapshotInfo> snapshotsOf(RbdImageHandle base, BackupId id) {
        return base.snapshots().stream().filter(s -> BackupNames.isSnapshotOf(s.name(), id)).toList();
    }

    /**
     * Locates the restore point of a backup through its own service metadata - nothing else is
     * guessed - and checks that the base image and the snapshot are the ones recorded.
     *
     * @throws BackupDataMissingException when the base image or the backup's snapshot is gone, or is
     *         another object of the same name
     */
    public static RestorePoint locate(CephConnections connections, BackupRef backup) {
        String pool = connections.settings().pool();
        CephServiceMetadata stored = CephServiceMetadata.of(backup.metadata());
        String baseName = stored.base().orElseThrow(() -> new BackupDataMissingException("backup " + backup.id()
                + " cannot be restored: it records no base image (it never finished)"));
        try (RbdImageHandle base = connections.openBackupImage(baseName, null, true).orElseThrow(
                () -> new BackupDataMissingException("backup " + backup.id() + " cannot be restored: its base image "
                        + pool + "/" + baseName + " does not exist"))) {
            if (stored.baseId().isPresent() && !stored.baseId().get().equals(base.id())) {
                throw new BackupDataMissingException("backup " + backup.id() + " cannot be restored: image " + pool
                        + "/" + baseName + " has image id " + base.id() + ", not " + stored.baseId().get()
                        + " as recorded; it is another image of the same name");
            }
            List<SnapshotInfo> matching = snapshotsOf(base, backup.id()).stream()
                    .filter(s -> stored.restorePointName().map(s.name()::equals).orElse(true)).toList();
            if (matching.isEmpty()) {
                throw new BackupDataMissingException("backup " + backup.id() + " cannot be restored: its snapshot"
                        + " is gone from base image " + pool + "/" + baseName);
            }
            SnapshotInfo snapshot = matching.get(0);
            for (StoredResource resource : backup.resources()) {
                if (resource.kind().equals(CephResources.BASE_SNAPSHOT) && resource.hasIdentity()
                        && resource.name().equals(pool + "/" + baseName + "@" + snapshot.name())
                        && !resource.identity().equals(Long.toString(snapshot.id()))) {
                    throw new BackupDataMissingException("backup " + backup.id() + " cannot be restored: snapshot "
                            + pool + "/" + baseName + "@" + snapshot.name() + " has snapshot id " + snapshot.id()
                            + ", not " + resource.identity() + " as recorded");
                }
            }
            return new RestorePoint(baseName, snapshot.name(), snapshot.size());
        }
    }
}
