package io.cairn.api.operation;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import java.util.Objects;

/**
 * Asks for a snapshot of {@code volume} for backup {@code backupId}.
 */
public record SnapshotRequest(BackupId backupId, VolumeRef volume) {

    public SnapshotRequest {
        Objects.requireNonNull(backupId, "backupId is null");
        Objects.requireNonNull(volume, "volume is null");
    }
}
