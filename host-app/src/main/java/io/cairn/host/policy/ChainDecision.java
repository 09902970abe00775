package io.cairn.host.policy;

import io.cairn.api.model.BackupId;
import io.cairn.api.operation.BackupKind;
import java.util.Objects;
import java.util.Optional;

/**
 * Full or incremental for the next backup of a volume, from which parent, and why.
 *
 * @param kind   full or incremental
 * @param parent for an incremental backup, the backup to take it relative to: the newest available
 *               backup of the current chain. Empty for a full one.
 * @param reason one line for the log and the catalog, such as {@code incremental: chain of 3 < full_every 7}
 *               or {@code full: chain started 8d ago, full_after 7d}
 */
public record ChainDecision(BackupKind kind, Optional<BackupId> parent, String reason) {

    public ChainDecision {
        Objects.requireNonNull(kind, "kind is null");
        Objects.requireNonNull(parent, "parent is null");
        Objects.requireNonNull(reason, "reason is null");
        if ((kind == BackupKind.INCREMENTAL) != parent.isPresent()) {
            throw new IllegalArgumentException("an incremental backup, and only an incremental one, has a parent");
        }
    }

    static ChainDecision full(String reason) {
        return new ChainDecision(BackupKind.FULL, Optional.empty(), "full: " + reason);
    }

    static ChainDecision incremental(BackupId parent, String reason) {
        return new ChainDecision(BackupKind.INCREMENTAL, Optional.of(parent), "incremental: " + reason);
    }

    /** Whether the next backup starts a new chain. */
    public boolean isFull() {
        return kind == BackupKind.FULL;
    }
}
