package io.cairn.host.backup;

import io.cairn.api.BackendSession;
import io.cairn.api.Capabilities.RestorePointDependency;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.BackupSetCatalog;
import io.cairn.host.catalog.VolumeLease;
import io.cairn.host.catalog.VolumeLeases;
import io.cairn.host.config.ConfiguredCluster;
import io.cairn.host.events.OperationEvents;
import io.cairn.host.policy.RetentionDecision;
import io.cairn.host.policy.RetentionPlan;
import io.cairn.host.policy.RetentionPolicy;
import io.cairn.host.policy.RetentionRules;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a schedule's retention to one volume: {@link RetentionPolicy} decides over the volume's whole
 * history, then every backup it removes is deleted (expiring, with {@code delete_grace}), newest first (so that, for a backend whose backups
 * depend on their parent, children go before parents).
 *
 * <p>The volume's lease is held for the whole prune: a volume is never pruned while a backup of it runs,
 * and no backup starts while it is pruned; what failed work on the volume left is cleaned up first. A
 * backup being restored is not deleted (it is reported and tried again at the next prune). A dry run
 * decides without the lease and deletes nothing.
 */
public final class RetentionPruner {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionPruner.class);

    private final BackupCatalog catalog;
    private final VolumeLeases leases;
    private final ClusterSessions sessions;
    private final StaleBackupCleaner cleaner;
    private final GracePeriodDeletions deletions;
    private final OperationEvents events;
    private final Optional<BackupSetCatalog> sets;

    /** @param events told of every backup retention deletes or fails to delete (metrics) */
    public RetentionPruner(BackupCatalog catalog, VolumeLeases leases, ClusterSessions sessions,
            StaleBackupCleaner cleaner, GracePeriodDeletions deletions, OperationEvents events) {
        this(catalog, leases, sessions, cleaner, deletions, events, Optional.empty());
    }

    /**
     * @param sets the catalog's backup sets: their members are left to the sets' own retention, which keeps or
     *             removes a set whole ({@link BackupSetOperations#prune})
     */
    public RetentionPruner(BackupCatalog catalog, VolumeLeases leases, ClusterSessions sessions,
            StaleBackupCleaner cleaner, GracePeriodDeletions deletions, OperationEvents events,
            Optional<BackupSetCatalog> sets) {
        this.sets = sets;
        this.catalog = catalog;
        this.leases = leases;
        this.sessions = sessions;
        this.cleaner = cleaner;
        this.deletions = deletions;
        this.events = events;
    }

    /**
     * @throws io.cairn.host.catalog.VolumeBusyException when a backup or delete of the volume runs (not on a dry run)
     */
    public PruneOutcome prune(ConfiguredCluster cluster, VolumeRef volume, RetentionRules rules, ZoneId timeZone,
            boolean dryRun) {
        RestorePointDependency dependency = cluster.backend().descriptor().capabilities().restorePoints();
        if (dryRun) {
            List<BackupRecord> history = withoutSetMembers(catalog.history(cluster.name(), volume));
            return new PruneOutcome(cluster.name(), volume, true, decide(history, rules, timeZone, dependency).stream()
                    .map(d -> new PrunedBackup(d.record, d.decision, false, Optional.empty())).toList());
        }
        BackendSession session = sessions.session(cluster);
        try (VolumeLease lease = leases.acquire(cluster.name(), volume, "prune of " + volume,
                ClientFences.clientOf(session))) {
            List<BackupRecord> history = withoutSetMembers(cleaner.clean(session, lease,
                    catalog.history(cluster.name(), volume)).history());
            List<PrunedBackup> results = new ArrayList<>();
            for (Decided decided : decide(history, rules, timeZone, dependency)) {
                if (decided.decision.keep()) {
                    results.add(new PrunedBackup(decided.record, decided.decision, false, Optional.empty()));
                    continue;
                }
                try {
                    BackupRecord deleted = deletions.deleteHoldingLease(decided.record, cluster, lease,
                            "retention on " + volume).record();
                    LOG.info("retention on {} of cluster {}: {} backup {} ({})", volume, cluster.name(),
                            deleted.status() == BackupStatus.EXPIRING ? "expiring" : "deleted", decided.record.id(),
                            decided.decision.reason());
                    results.add(new PrunedBackup(deleted, decided.decision, true, Optional.empty()));
                    events.retentionDeletion(cluster.name(), true);
                } catch (RuntimeException e) {
                    LOG.warn("retention on {} of cluster {}: cannot delete backup {}: {}", volume, cluster.name(),
                            decided.record.id(), e.getMessage());
                    events.retentionDeletion(cluster.name(), false);
                    results.add(new PrunedBackup(decided.record, decided.decision, false, Optional.of(
                            e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
                }
            }
            return new PruneOutcome(cluster.name(), volume, false, results);
        }
    }

    /** A volume's history without the members of backup sets, which only their set's retention removes. */
    private List<BackupRecord> withoutSetMembers(List<BackupRecord> history) {
        if (sets.isEmpty()) {
            return history;
        }
        java.util.Set<BackupId> members = sets.get().setsOf(history.stream().map(BackupRecord::id).toList()).keySet();
        return members.isEmpty() ? history : history.stream().filter(r -> !members.contains(r.id())).toList();
    }

    private static List<Decided> decide(List<BackupRecord> history, RetentionRules rules, ZoneId timeZone,
            RestorePointDependency dependency) {
        Map<BackupId, BackupRecord> byId = history.stream()
                .collect(Collectors.toMap(BackupRecord::id, Function.identity()));
        RetentionPlan plan = RetentionPolicy.evaluate(BackupRecord.entries(history), rules, timeZone, dependency);
        return plan.decisions().stream().map(d -> new Decided(byId.get(d.backup().id()), d)).toList();
    }

    private record Decided(BackupRecord record, RetentionDecision decision) {
    }
}
