package io.cairn.host.backup;

import io.cairn.api.Capabilities;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.policy.BackupEntry;
import io.cairn.host.policy.ChainDecision;
import io.cairn.host.policy.ChainPolicy;
import io.cairn.host.policy.ChainRules;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides full or incremental for one backup: what was asked ({@code --full}), what the volume is (a
 * file is always backed up in full), and otherwise {@link ChainPolicy} over the volume's whole history
 * with the schedule's chain rules ({@link ChainRules#UNLIMITED} for a backup from the command line).
 */
public final class BackupPlanner {

    private BackupPlanner() {
    }

    /**
     * @param history every backup of the volume on this cluster, deleted ones included (a chain's length
     *                counts backups retention has removed)
     * @param rules   when to start a new chain
     * @param now     the time of the decision
     */
    public static BackupPlan plan(VolumeRef volume, boolean forceFull, Capabilities capabilities,
            List<BackupRecord> history, ChainRules rules, Instant now) {
        Map<BackupId, BackupRecord> byId = new HashMap<>();
        history.forEach(r -> byId.put(r.id(), r));
        Decision decision = decide(volume, forceFull, capabilities, BackupEntries.of(history), rules, now,
                id -> byId.get(id).chain());
        if (decision.parent().isEmpty()) {
            return full(decision.reason());
        }
        BackupId parentId = decision.parent().get();
        BackupRecord parent = byId.get(parentId);
        return new BackupPlan(BackupKind.INCREMENTAL, Optional.of(parent), decision.reason());
    }

    /**
     * The same decision, from the policies' view of the history (id, kind, parent, time, status): what planning many
     * volumes at once reads, without every record's labels and metadata.
     */
    public static Decision decide(VolumeRef volume, boolean forceFull, Capabilities capabilities,
            List<BackupEntry> history, ChainRules rules, Instant now) {
        return decide(volume, forceFull, capabilities, history, rules, now, id -> chainOf(id, history));
    }

    private static Decision decide(VolumeRef volume, boolean forceFull, Capabilities capabilities,
            List<BackupEntry> history, ChainRules rules, Instant now, Function<BackupId, BackupId> chainOf) {
        if (forceFull) {
            return Decision.full("full backup, as --full asked");
        }
        if (!capabilities.incremental()) {
            return Decision.full("full backup: the backend makes full backups only");
        }
        if (volume.isFile()) {
            return Decision.full("full backup: files and block devices are always backed up in full");
        }
        ChainDecision decision = ChainPolicy.decide(history, now, rules, capabilities, false);
        String why = decision.reason().substring(decision.reason().indexOf(':') + 1).strip();
        if (decision.isFull()) {
            boolean nothingAvailable = history.stream().noneMatch(e -> e.status() == BackupEntry.Status.AVAILABLE);
            return Decision.full(nothingAvailable ? "full backup: no available backup of " + volume + " to diff from"
                    : "full backup, new chain: " + why);
        }
        BackupId parent = decision.parent().orElseThrow();
        return new Decision(BackupKind.INCREMENTAL, Optional.of(parent), "incremental from " + parent
                + ", the newest available backup of " + volume + " (chain " + chainOf.apply(parent) + "): " + why);
    }

    /** The full backup a backup's chain starts with: its parents followed to the one without a parent. */
    private static BackupId chainOf(BackupId id, List<BackupEntry> history) {
        Map<BackupId, BackupEntry> byId = new HashMap<>();
        history.forEach(e -> byId.put(e.id(), e));
        BackupId current = id;
        for (int steps = 0; steps <= history.size(); steps++) {
            BackupEntry entry = byId.get(current);
            if (entry == null || entry.parent().isEmpty()) {
                return current;
            }
            current = entry.parent().get();
        }
        return current;
    }

    /**
     * A decision on the policies' view.
     *
     * @param kind   full or incremental
     * @param parent the backup to diff from, for an incremental one
     * @param reason one sentence for the operator and the catalog
     */
    public record Decision(BackupKind kind, Optional<BackupId> parent, String reason) {
        static Decision full(String reason) {
            return new Decision(BackupKind.FULL, Optional.empty(), reason);
        }
    }

    private static BackupPlan full(String reason) {
        return new BackupPlan(BackupKind.FULL, Optional.empty(), reason);
    }
}
