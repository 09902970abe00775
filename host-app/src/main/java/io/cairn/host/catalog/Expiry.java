package io.cairn.host.catalog;

import io.cairn.api.model.BackupId;
import java.time.Instant;
import java.util.Objects;

/**
 * A backup in its grace period: deleted, its data kept until {@code expiresAt}.
 *
 * @param backupId     the backup
 * @param statusBefore what an undelete brings it back to ({@code available} or {@code corrupt})
 * @param deletedAt    when it was deleted
 * @param expiresAt    when it may be purged
 * @param deletedBy    who deleted it ({@code host/pid}, and the schedule whose retention pruned it)
 */
public record Expiry(BackupId backupId, BackupStatus statusBefore, Instant deletedAt, Instant expiresAt,
        String deletedBy) {

    public Expiry {
        Objects.requireNonNull(backupId, "backupId is null");
        Objects.requireNonNull(statusBefore, "statusBefore is null");
        Objects.requireNonNull(deletedAt, "deletedAt is null");
        Objects.requireNonNull(expiresAt, "expiresAt is null");
        Objects.requireNonNull(deletedBy, "deletedBy is null");
        if (!statusBefore.isStored()) {
            throw new IllegalArgumentException("only a stored backup can expire, not a " + statusBefore.label() + " one");
        }
    }

    /** Whether the grace has passed at {@code now}. */
    public boolean due(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
