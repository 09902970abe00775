package io.cairn.api.operation;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import java.util.List;

/**
 * Point-in-time snapshots of source volumes: the first step of every backup.
 */
public interface SnapshotOperation {

    /**
     * Takes a snapshot of the volume for a new backup.
     *
     * @throws io.cairn.api.error.VolumeNotFoundException when the volume does not exist
     */
    VolumeSnapshot create(SnapshotRequest request);

    /** The backup snapshots present on the volume, oldest first. */
    List<VolumeSnapshot> list(VolumeRef volume);

    /** Removes one snapshot; a snapshot (or volume) that is already gone counts as removed. */
    void remove(VolumeSnapshot snapshot);

    /**
     * Removes every backup snapshot of the volume except the one of {@code newest}: once a newer
     * backup is safely stored, older snapshots only cost space on the production volume.
     *
     * @return the names of the snapshots removed
     */
    List<String> removeAllBut(VolumeRef volume, BackupId newest);
}
