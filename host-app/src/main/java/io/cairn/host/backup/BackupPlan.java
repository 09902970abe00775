package io.cairn.host.backup;

import io.cairn.api.operation.BackupKind;
import io.cairn.host.catalog.BackupRecord;
import java.util.Objects;
import java.util.Optional;

/**
 * The decision for one backup: full or incremental, from which parent, and why.
 *
 * @param kind   full or incremental
 * @param parent the backup to diff from, for an incremental one
 * @param reason one sentence for the operator and the catalog
 */
public record BackupPlan(BackupKind kind, Optional<BackupRecord> parent, String reason) {

    public BackupPlan {
        Objects.requireNonNull(kind, "kind is null");
        Objects.requireNonNull(parent, "parent is null");
        Objects.requireNonNull(reason, "reason is null");
        if ((kind == BackupKind.INCREMENTAL) != parent.isPresent()) {
            throw new IllegalArgumentException("an incremental backup, and only an incremental one, has a parent");
        }
    }
}
