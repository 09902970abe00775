package io.cairn.api.operation;

import io.cairn.api.ProgressListener;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.VolumeSnapshot;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Asks to store {@code snapshot} as a backup.
 *
 * @param snapshot what to copy, as returned by {@link SnapshotOperation#create}
 * @param parent   empty for a full backup; for an incremental one, the backup to diff from (the newest
 *                 backup of the volume's current chain)
 * @param labels   operator labels kept with the backup and restored with it
 * @param progress receives progress reports
 */
public record TransferRequest(
        VolumeSnapshot snapshot,
        Optional<BackupRef> parent,
        Map<String, String> labels,
        ProgressListener progress) {

    public TransferRequest {
        Objects.requireNonNull(snapshot, "snapshot is null");
        Objects.requireNonNull(parent, "parent is null");
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels is null"));
        Objects.requireNonNull(progress, "progress is null");
    }

    /** A full backup without labels or progress reports. */
    public static TransferRequest full(VolumeSnapshot snapshot) {
        return new TransferRequest(snapshot, Optional.empty(), Map.of(), ProgressListener.NONE);
    }

    /** An incremental backup from {@code parent} without labels or progress reports. */
    public static TransferRequest incremental(VolumeSnapshot snapshot, BackupRef parent) {
        return new TransferRequest(snapshot, Optional.of(parent), Map.of(), ProgressListener.NONE);
    }
}
