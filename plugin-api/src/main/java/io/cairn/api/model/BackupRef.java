package io.cairn.api.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a backend needs to address one stored backup, as the host's catalog recorded it.
 *
 * @param id        the backup's id
 * @param volume    the volume it was taken from
 * @param metadata  what the backend returned when the backup was stored; empty for a backup that
 *                  never finished (a crash, a failure) - never another backup's metadata
 * @param snapshot  the backup's snapshot on the source volume, while the host still keeps it (the
 *                  newest backup of a volume keeps its snapshot, for the next incremental)
 * @param resources what the backend recorded creating for this backup through the
 *                  {@link io.cairn.api.operation.ResourceJournal}, in the order recorded
 */
public record BackupRef(BackupId id, VolumeRef volume, ServiceMetadata metadata, Optional<VolumeSnapshot> snapshot,
        List<StoredResource> resources) {

    public BackupRef {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(volume, "volume is null");
        Objects.requireNonNull(metadata, "metadata is null");
        Objects.requireNonNull(snapshot, "snapshot is null");
        resources = List.copyOf(Objects.requireNonNull(resources, "resources is null"));
    }

    /** A reference without snapshot or recorded resources, as plugin API 1.0 made them. */
    public BackupRef(BackupId id, VolumeRef volume, ServiceMetadata metadata) {
        this(id, volume, metadata, Optional.empty(), List.of());
    }
}
