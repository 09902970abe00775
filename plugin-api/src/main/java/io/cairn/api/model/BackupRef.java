package io.cairn.api.model;

import java.util.Objects;

/**
 * Everything a backend needs to address one stored backup.
 *
 * @param id       the backup's id
 * @param volume   the volume it was taken from
 * @param metadata what the backend returned when the backup was stored
 */
public record BackupRef(BackupId id, VolumeRef volume, ServiceMetadata metadata) {

    public BackupRef {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(volume, "volume is null");
        Objects.requireNonNull(metadata, "metadata is null");
    }
}
