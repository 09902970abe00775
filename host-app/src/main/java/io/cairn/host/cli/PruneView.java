package io.cairn.host.cli;

import io.cairn.host.backup.PruneOutcome;
import io.cairn.host.backup.PrunedBackup;
import java.time.Instant;
import java.util.List;

/**
 * What {@code cairn prune --json} prints for one volume.
 *
 * @param cluster the cluster
 * @param volume  the volume
 * @param dryRun  nothing was deleted
 * @param backups every backup that was not deleted before, newest first
 */
public record PruneView(String cluster, String volume, boolean dryRun, List<Verdict> backups) {

    static PruneView of(PruneOutcome outcome) {
        return new PruneView(outcome.cluster(), outcome.volume().locator(), outcome.dryRun(),
                outcome.backups().stream().map(Verdict::of).toList());
    }

    /**
     * One backup's verdict.
     *
     * @param id        the backup
     * @param createdAt when it was taken
     * @param kind      full or incremental
     * @param status    its status now (after a delete: deleted)
     * @param decision  {@code keep} or {@code remove}
     * @param reason    the rule that keeps it, or why it goes
     * @param deleted   whether it was deleted now
     * @param error     why deleting it failed, or null
     */
    public record Verdict(String id, Instant createdAt, String kind, String status, String decision, String reason,
            boolean deleted, String error) {
        static Verdict of(PrunedBackup backup) {
            return new Verdict(backup.record().id().value(), backup.record().startedAt(), backup.record().kind().label(),
                    backup.record().status().label(), backup.decision().verdict().label(), backup.decision().reason(),
                    backup.deleted(), backup.failure().orElse(null));
        }
    }
}
