package io.cairn.host.backup;

import io.cairn.api.Capabilities;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.BackupKind;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.policy.ChainDecision;
import io.cairn.host.policy.ChainPolicy;
import io.cairn.host.policy.ChainRules;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
        if (forceFull) {
            return full("full backup, as --full asked");
        }
        if (!capabilities.incremental()) {
            return full("full backup: the backend makes full backups only");
        }
        if (volume.isFile()) {
            return full("full backup: files and block devices are always backed up in full");
        }
        ChainDecision decision = ChainPolicy.decide(BackupEntries.of(history), now, rules, capabilities, false);
        String why = decision.reason().substring(decision.reason().indexOf(':') + 1).strip();
        if (decision.isFull()) {
            boolean nothingAvailable = history.stream().noneMatch(r -> r.status() == BackupStatus.AVAILABLE);
            return full(nothingAvailable ? "full backup: no available backup of " + volume + " to diff from"
                    : "full backup, new chain: " + why);
        }
        BackupId parentId = decision.parent().orElseThrow();
        BackupRecord parent = history.stream().filter(r -> r.id().equals(parentId)).findFirst().orElseThrow();
        return new BackupPlan(BackupKind.INCREMENTAL, Optional.of(parent), "incremental from " + parent.id()
                + ", the newest available backup of " + volume + " (chain " + parent.chain() + "): " + why);
    }

    private static BackupPlan full(String reason) {
        return new BackupPlan(BackupKind.FULL, Optional.empty(), reason);
    }
}
