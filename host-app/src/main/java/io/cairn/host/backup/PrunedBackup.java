package io.cairn.host.backup;

import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.policy.RetentionDecision;
import java.util.Objects;
import java.util.Optional;

/**
 * Retention's verdict on one backup, and what came of it.
 *
 * @param record   the backup as it was decided on (after a delete: as the catalog now holds it)
 * @param decision keep or remove, and why
 * @param deleted  whether it was deleted now (never on a dry run)
 * @param failure  why removing it failed, when it did; it stays and is tried again next time
 */
public record PrunedBackup(BackupRecord record, RetentionDecision decision, boolean deleted, Optional<String> failure) {

    public PrunedBackup {
        Objects.requireNonNull(record, "record is null");
        Objects.requireNonNull(decision, "decision is null");
        Objects.requireNonNull(failure, "failure is null");
    }
}
