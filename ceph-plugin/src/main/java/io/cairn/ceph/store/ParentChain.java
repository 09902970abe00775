package io.cairn.ceph.store;

import io.cairn.api.error.BackendException;
import io.cairn.api.error.ChainBrokenException;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.StoredResource;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.ceph.cluster.CephConnections;
import io.cairn.ceph.rbd.RbdImageHandle.SnapshotInfo;
import io.cairn.ceph.rbd.RbdImageHandle;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Checks that an incremental backup can diff from its parent, and says from where.
 *
 * <p>The diff must start at exactly the snapshot the parent was taken from: the one the host recorded
 * ({@link BackupRef#snapshot()}, name and snapshot id), or, when the host passes none, the one the
 * parent's own service metadata names. A snapshot of that name with another
 * snapshot id was made by someone else after the parent's was removed: diffing from it would store
 * the changes since some other moment and restore wrong bytes, so the chain is broken. The parent's
 * base image must still be the one it was stored in (same image id) and hold the parent's restore
 * point.
 */
public final class ParentChain {

    /**
     * Where an incremental starts: the chain's base image, the source snapshot to diff from, and the parent's
     * restore point on the base (what the base's head must hold before the diff is written onto it).
     */
    public record DiffStart(String baseImage, String baseImageId, String fromSnapshot, String parentRestorePoint) {
    }

    private final CephConnections connections;

    public ParentChain(CephConnections connections) {
        this.connections = connections;
    }

    /**
     * @param source the source volume, opened at any snapshot
     * @throws ChainBrokenException naming what is gone or not the parent's
     */
    public DiffStart verify(BackupRef parent, RbdImageHandle source) {
        String pool = connections.settings().pool();
        CephServiceMetadata stored = CephServiceMetadata.of(parent.metadata());
        String baseName = stored.base().orElseThrow(() -> new ChainBrokenException("parent backup " + parent.id()
                + " records no base image"));
        Optional<String> recordedName = parent.snapshot().map(VolumeSnapshot::name).or(stored::sourceSnapshot);
        String recordedId = parent.snapshot().map(VolumeSnapshot::identity).filter(id -> !id.isEmpty())
                .or(stored::sourceSnapshotId).orElse("");
        String baseId;
        String snapshot;
        String parentRestorePoint;
        try (RbdImageHandle base = connections.openBackupImage(baseName, null, true).orElseThrow(
                () -> new ChainBrokenException("base image " + pool + "/" + baseName + " of parent backup "
                        + parent.id() + " no longer exists"))) {
            baseId = base.id();
            if (stored.baseId().isPresent() && !stored.baseId().get().equals(baseId)) {
                throw new ChainBrokenException("base image " + pool + "/" + baseName + " has image id " + baseId
                        + ", but parent backup " + parent.id() + " was stored in image id " + stored.baseId().get()
                        + ": it is another image of the same name");
            }
            // The restore point is named like the source snapshot, except for a backup of a snapshot that is
            // not Cairn's (its service metadata names the restore point).
            Optional<String> restorePoint = stored.restorePoint().or(() -> recordedName);
            if (restorePoint.isPresent()) {
                checkRestorePoint(parent, base, baseName, restorePoint.get());
            }
            snapshot = recordedName.orElseGet(() -> restorePointByBackupId(parent, base));
            parentRestorePoint = restorePoint.orElse(snapshot);
        }
        OptionalLong onSource = source.snapshotId(snapshot);
        if (onSource.isEmpty()) {
            throw new ChainBrokenException("snapshot " + snapshot + " of parent backup " + parent.id()
                    + " no longer exists on volume " + parent.volume() + ", so there is nothing to diff from");
        }
        if (!recordedId.isEmpty() && !recordedId.equals(Long.toString(onSource.getAsLong()))) {
            throw new ChainBrokenException("snapshot " + parent.volume() + "@" + snapshot + " has snapshot id "
                    + onSource.getAsLong() + ", but parent backup " + parent.id() + " was taken from snapshot id "
                    + recordedId + ": the parent's snapshot was removed and another one made under its name,"
                    + " so diffing from it would store wrong data");
        }
        return new DiffStart(baseName, baseId, snapshot, parentRestorePoint);
    }

    /** The parent's restore point is the base image's snapshot of the recorded name (and id, if recorded). */
    private String checkRestorePoint(BackupRef parent, RbdImageHandle base, String baseName, String name) {
        OptionalLong onBase = base.snapshotId(name);
        if (onBase.isEmpty()) {
            throw new ChainBrokenException("the restore point " + name + " of parent backup " + parent.id()
                    + " is gone from base image " + base.name());
        }
        for (StoredResource resource : parent.resources()) {
            if (resource.kind().equals(CephResources.BASE_SNAPSHOT) && resource.hasIdentity()
                    && resource.name().equals(connections.settings().pool() + "/" + baseName + "@" + name)
                    && !resource.identity().equals(Long.toString(onBase.getAsLong()))) {
                throw new ChainBrokenException("restore point " + base.name() + "@" + name + " has snapshot id "
                        + onBase.getAsLong() + ", but parent backup " + parent.id() + " recorded "
                        + resource.identity());
            }
        }
        return name;
    }

    /** For parents stored before snapshot names were kept in service metadata: the one snapshot of its id. */
    private static String restorePointByBackupId(BackupRef parent, RbdImageHandle base) {
        List<String> matching = base.snapshots().stream().map(SnapshotInfo::name)
                .filter(name -> BackupNames.isSnapshotOf(name, parent.id())).toList();
        if (matching.isEmpty()) {
            throw new ChainBrokenException("the restore point of parent backup " + parent.id()
                    + " is gone from base image " + base.name());
        }
        if (matching.size() > 1) {
            throw new BackendException("base image " + base.name() + " holds " + matching.size()
                    + " snapshots of backup " + parent.id() + ": " + matching);
        }
        return matching.get(0);
    }
}
