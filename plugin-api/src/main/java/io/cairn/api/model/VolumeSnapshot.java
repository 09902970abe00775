package io.cairn.api.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A point-in-time snapshot of a volume, taken for one backup.
 *
 * @param backupId  the backup it belongs to
 * @param volume    the volume it was taken of
 * @param name      the backend's name for it (for Ceph: {@code backup.<id>.snap.<time>}); for
 *                  sources without snapshots (files), a marker the backend recognises
 * @param sizeBytes the volume's size at that moment
 * @param createdAt when it was taken
 */
public record VolumeSnapshot(BackupId backupId, VolumeRef volume, String name, long sizeBytes, Instant createdAt) {

    public VolumeSnapshot {
        Objects.requireNonNull(backupId, "backupId is null");
        Objects.requireNonNull(volume, "volume is null");
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(createdAt, "createdAt is null");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes is negative: " + sizeBytes);
        }
    }
}
