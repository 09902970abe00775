package io.cairn.host.catalog;

import io.cairn.api.model.VolumeRef;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which backups to list.
 *
 * @param cluster        only this cluster's
 * @param volume         only this volume's
 * @param includeDeleted whether {@link BackupStatus#DELETED} and {@link BackupStatus#EXPIRING} records are listed
 *                       too
 * @param statuses       only backups in these statuses (empty: any); matched in the query, so that a page of
 *                       {@code N} holds {@code N} backups of these statuses when there are as many
 */
public record BackupFilter(Optional<String> cluster, Optional<VolumeRef> volume, boolean includeDeleted,
        Set<BackupStatus> statuses) {

    public BackupFilter {
        Objects.requireNonNull(cluster, "cluster is null");
        Objects.requireNonNull(volume, "volume is null");
        statuses = Set.copyOf(statuses);
    }

    /** Backups of any status ({@code deleted} and {@code expiring} ones only with {@code includeDeleted}). */
    public BackupFilter(Optional<String> cluster, Optional<VolumeRef> volume, boolean includeDeleted) {
        this(cluster, volume, includeDeleted, Set.of());
    }

    /** Every backup that was not deleted. */
    public static BackupFilter all() {
        return new BackupFilter(Optional.empty(), Optional.empty(), false);
    }
}
