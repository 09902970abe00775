package io.cairn.host.catalog;

import io.cairn.api.model.VolumeRef;
import java.util.Objects;
import java.util.Optional;

/**
 * Which backups to list.
 *
 * @param cluster        only this cluster's
 * @param volume         only this volume's
 * @param includeDeleted whether {@link BackupStatus#DELETED} and {@link BackupStatus#EXPIRING} records are listed
 *                       too
 */
public record BackupFilter(Optional<String> cluster, Optional<VolumeRef> volume, boolean includeDeleted) {

    public BackupFilter {
        Objects.requireNonNull(cluster, "cluster is null");
        Objects.requireNonNull(volume, "volume is null");
    }

    /** Every backup that was not deleted. */
    public static BackupFilter all() {
        return new BackupFilter(Optional.empty(), Optional.empty(), false);
    }
}
