package io.cairn.api.operation;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import java.util.List;
import java.util.Optional;

/**
 * Point-in-time snapshots of source volumes: the first step of every backup.
 *
 * <p><b>Ownership.</b> The host owns every snapshot it asks for, from {@link #create} to
 * {@link #remove}: it records the snapshot (name and identity) in its catalog, keeps the newest
 * backup's snapshot of each volume for the next incremental, and asks to remove a snapshot once it
 * has no further use - after a newer backup is stored, after a failed or interrupted backup, after a
 * delete. A backend acts on those requests only. It never removes a source snapshot on its own
 * initiative (not on failure, not by name pattern): a snapshot that looks like a backup snapshot may
 * belong to another tool, to another Cairn cluster file over the same volume, or to an operator.
 */
public interface SnapshotOperation {

    /**
     * Takes a snapshot of the volume for a new backup, and returns it with its identity.
     *
     * @throws io.cairn.api.error.VolumeNotFoundException when the volume does not exist
     */
    VolumeSnapshot create(SnapshotRequest request);

    /**
     * Takes a snapshot as {@link #create(SnapshotRequest)} does, having first recorded in {@code journal} the
     * exact name it will have ({@link SnapshotJournal#intended}), so that a process killed while the snapshot
     * is taken leaves a record of it for the host to remove it by. The host calls this one.
     *
     * <p>The default records nothing and takes the snapshot through {@link #create(SnapshotRequest)}: the
     * host then learns the name only once the snapshot exists, as with plugin API 1.1. A backend whose
     * snapshots exist on the source volume should override it.
     *
     * @throws io.cairn.api.error.VolumeNotFoundException when the volume does not exist
     * @since 1.2
     */
    default VolumeSnapshot create(SnapshotRequest request, SnapshotJournal journal) {
        return create(request);
    }

    /**
     * An existing snapshot of the volume that Cairn did not take - an operator's, another tool's - to
     * back up as it is ({@code cairn backup CLUSTER POOL/IMAGE@SNAP}). The host records it as external:
     * it never asks to remove it, and an incremental from its backup diffs from it only while it is still
     * there with the same identity.
     *
     * <p>Optional: the default finds none, and the host then says the backend cannot back up existing
     * snapshots.
     *
     * @param backupId the backup that will be made from it
     * @param volume   the volume
     * @param name     the snapshot's name, as the operator wrote it after {@code @}
     * @return the snapshot with its identity and the volume's size at that snapshot; empty when the
     *         backend cannot back up snapshots it did not take
     * @throws io.cairn.api.error.VolumeNotFoundException when the volume or the snapshot does not exist
     * @since 1.1
     */
    default Optional<VolumeSnapshot> existing(BackupId backupId, VolumeRef volume, String name) {
        return Optional.empty();
    }

    /**
     * Removes exactly this snapshot. A snapshot (or volume) that is already gone counts as removed. A
     * snapshot of the same name whose identity differs from {@link VolumeSnapshot#identity()} (when
     * that is not empty) is another snapshot: it is left alone, and this one counts as removed.
     */
    void remove(VolumeSnapshot snapshot);

    /**
     * The backup snapshots present on the volume, oldest first.
     *
     * @deprecated since plugin API 1.1 the host no longer lists snapshots by name to decide what to
     *             remove; it removes only those it recorded. Kept so that 1.0 backends keep loading.
     */
    @Deprecated
    default List<VolumeSnapshot> list(VolumeRef volume) {
        return List.of();
    }

    /**
     * Removed every backup snapshot of the volume except the newest backup's.
     *
     * @deprecated since plugin API 1.1 the host never calls it: removing snapshots by name pattern
     *             destroyed snapshots Cairn did not own. The host removes its recorded snapshots one
     *             by one through {@link #remove}. Kept so that 1.0 backends keep loading.
     */
    @Deprecated
    default List<String> removeAllBut(VolumeRef volume, BackupId newest) {
        return List.of();
    }
}
