package io.cairn.api.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A point-in-time snapshot of a volume, taken for one backup.
 *
 * <p>The host records every snapshot it asked for, with its {@link #identity()}, and owns its life: it
 * asks the backend to remove it once a newer backup of the volume is stored, and never asks to remove
 * a snapshot it did not record. A snapshot is addressed by name <em>and</em> identity: a snapshot
 * removed behind Cairn's back and created again under the same name is another snapshot, and a
 * backend must neither diff from it nor remove it.
 *
 * @param backupId  the backup it belongs to
 * @param volume    the volume it was taken of
 * @param name      the backend's name for it (for Ceph: {@code backup.<id>.snap.<time>}); for
 *                  sources without snapshots (files), a marker the backend recognises
 * @param sizeBytes the volume's size at that moment
 * @param createdAt when it was taken
 * @param identity  the backend's identity of this snapshot, which a later snapshot of the same name
 *                  does not share (for Ceph the snapshot id); empty when the backend has none (files)
 *                  or was built against plugin API 1.0
 */
public record VolumeSnapshot(BackupId backupId, VolumeRef volume, String name, long sizeBytes, Instant createdAt,
        String identity) {

    public VolumeSnapshot {
        Objects.requireNonNull(backupId, "backupId is null");
        Objects.requireNonNull(volume, "volume is null");
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(createdAt, "createdAt is null");
        Objects.requireNonNull(identity, "identity is null");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes is negative: " + sizeBytes);
        }
    }

    /** A snapshot without an identity, as plugin API 1.0 made them. */
    public VolumeSnapshot(BackupId backupId, VolumeRef volume, String name, long sizeBytes, Instant createdAt) {
        this(backupId, volume, name, sizeBytes, createdAt, "");
    }

    /** Whether the backend gave this snapshot an identity. */
    public boolean hasIdentity() {
        return !identity.isEmpty();
    }
}
