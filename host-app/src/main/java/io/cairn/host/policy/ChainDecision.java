package io.cairn.host.policy;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import java.util.Objects;
import java.util.Optional;

/**
 * Full or incremental for the next backup of a volume, from which parent, and why: the one answer of
 * {@link ChainPolicy}, which the host records, logs and prints.
 *
 * @param kind   full or incremental
 * @param parent for an incremental backup, the backup to take it relative to: the newest available
 *               backup of the current chain. Empty for a full one.
 * @param reason why, with the facts behind it
 */
public record ChainDecision(BackupKind kind, Optional<BackupId> parent, ChainReason reason) {

    public ChainDecision {
        Objects.requireNonNull(kind, "kind is null");
        Objects.requireNonNull(parent, "parent is null");
        Objects.requireNonNull(reason, "reason is null");
        if ((kind == BackupKind.INCREMENTAL) != parent.isPresent()) {
            throw new IllegalArgumentException("an incremental backup, and only an incremental one, has a parent");
        }
    }

    static ChainDecision full(ChainReason reason) {
        return new ChainDecision(BackupKind.FULL, Optional.empty(), reason);
    }

    static ChainDecision incremental(BackupId parent, ChainReason reason) {
        return new ChainDecision(BackupKind.INCREMENTAL, Optional.of(parent), reason);
    }

    /** A backup planned incremental whose parent the backend cannot diff from: full, a new chain. */
    public static ChainDecision restorePointGone(BackupId parent, String backendMessage) {
        return full(new ChainReason.RestorePointGone(parent, backendMessage));
    }

    /**
     * A backup planned incremental whose parent's source snapshot the host no longer holds: full, a new
     * chain. Decided by the host from its own records before anything is taken.
     */
    public static ChainDecision parentSnapshotRemoved(BackupId parent, String snapshot) {
        return full(new ChainReason.ParentSnapshotRemoved(parent, snapshot));
    }

    /** An incremental backup from a parent an operator chose ({@code --parent}), in that parent's chain. */
    public static ChainDecision chosenParent(BackupId parent, BackupId chain) {
        return incremental(parent, new ChainReason.ChosenParent(parent, chain));
    }

    /** Whether the next backup starts a new chain. */
    public boolean isFull() {
        return kind == BackupKind.FULL;
    }

    /**
     * The sentence for the log, the catalog's {@code plan_reason} and {@code --json}'s {@code reason}:
     * {@code incremental from 1f2e..., the newest available backup of volumes/db1 (chain 0a9b...): chain of 3
     * < full_every 7}, {@code full backup, new chain: chain started 8d ago, full_after 7d}.
     */
    public String describe(VolumeRef volume) {
        return switch (reason.cause()) {
            case FORCED -> "full backup, as --full asked";
            case FULL_ONLY_BACKEND -> "full backup: the backend makes full backups only";
            case FILE_SOURCE -> "full backup: " + reason.why();
            case NO_AVAILABLE_BACKUP -> "full backup: no available backup of " + volume + " to diff from";
            case CHAIN_BROKEN, RESTORE_POINT_GONE, PARENT_SNAPSHOT_REMOVED, PARENT_CORRUPT ->
                    "full backup, new chain: " + reason.why();
            case CHOSEN_PARENT -> "incremental from " + parent.orElseThrow() + " (chain "
                    + ((ChainReason.ChosenParent) reason).chain() + "), the parent --parent chose";
            case CHAIN_RULES -> isFull() ? "full backup, new chain: " + reason.why()
                    : "incremental from " + parent.orElseThrow() + ", the newest available backup of " + volume + " (chain "
                            + ((ChainReason.RulesApplied) reason).chain() + "): " + reason.why();
        };
    }

    /** The verdict and the reason in short: {@code full: no available backup}, {@code incremental: chain of 3 < full_every 7}. */
    @Override
    public String toString() {
        return kind.label() + ": " + reason.why();
    }
}
