package io.cairn.host.backup;

import io.cairn.api.BackendSession;
import io.cairn.api.Capabilities.RestorePointDependency;
import io.cairn.api.ProgressListener;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.option.DurationText;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupSetCatalog;
import io.cairn.host.catalog.BackupSetRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.config.ConfiguredCluster;
import io.cairn.host.events.OperationEvents;
import io.cairn.host.policy.BackupEntry;
import io.cairn.host.policy.RetentionDecision;
import io.cairn.host.policy.RetentionPlan;
import io.cairn.host.policy.RetentionPolicy;
import io.cairn.host.policy.RetentionRules;
import java.time.Clock;
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
 * What is done to a stored backup set as a whole: restoring every member, deleting every member, and a
 * schedule's retention, which keeps or removes sets whole. Each member goes through the same orchestrator
 * as a backup of one volume (its lease, its records, the backend's checks).
 *
 * <p>With {@code delete_grace} a set is deleted as a backup is: it is {@code expiring} first, every member with
 * it and nothing removed, until {@link #undelete} brings it back or - once the members' grace has passed and
 * {@link GracePeriodDeletions#purge} has removed them - {@link #purgeExpired} records the set deleted (and removes
 * its group snapshot, if it still holds one).
 */
public final class BackupSetOperations {

    private static final Logger LOG = LoggerFactory.getLogger(BackupSetOperations.class);

    private final BackupSetCatalog sets;
    private final BackupCatalog catalog;
    private final ClusterSessions sessions;
    private final RestoreOrchestrator restores;
    private final GracePeriodDeletions deletions;
    private final Clock clock;
    private final OperationEvents events;

    public BackupSetOperations(BackupSetCatalog sets, BackupCatalog catalog, ClusterSessions sessions,
            RestoreOrchestrator restores, GracePeriodDeletions deletions, Clock clock, OperationEvents events) {
        this.sets = sets;
        this.catalog = catalog;
        this.sessions = sessions;
        this.restores = restores;
        this.deletions = deletions;
        this.clock = clock;
        this.events = events;
    }

    /** Where each member of a set is restored to: {@code member -> target}, in the set's order. */
    public record MemberTarget(BackupRecord member, VolumeRef target) {
    }

    /**
     * The targets of a set restore: the given ones in member order, each member's volume with {@code suffix}, or
     * the members' own volumes (in place, which only {@code --force} allows).
     *
     * @throws IllegalArgumentException when the targets do not fit the members
     */
    public List<MemberTarget> targets(BackupSetRecord set, List<VolumeRef> given, Optional<String> suffix,
            boolean inPlace) {
        List<BackupRecord> members = members(set);
        int ways = (given.isEmpty() ? 0 : 1) + (suffix.isPresent() ? 1 : 0) + (inPlace ? 1 : 0);
        if (ways != 1) {
            throw new IllegalArgumentException("restore of backup set " + set.id() + " needs one target per member ("
                    + members.size() + ", in the order `cairn show " + set.id().substring(0, 8) + "` lists them), or"
                    + " --suffix S (each member into its volume's name with S appended), or --in-place (over the"
                    + " members' own volumes, with --force)");
        }
        if (!given.isEmpty() && given.size() != members.size()) {
            throw new IllegalArgumentException("backup set " + set.id() + " has " + members.size() + " members, but "
                    + given.size() + " targets were given");
        }
        List<MemberTarget> targets = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            BackupRecord member = members.get(i);
            VolumeRef target = !given.isEmpty() ? given.get(i)
                    : suffix.isPresent() ? new VolumeRef(member.volume().locator() + suffix.get()) : member.volume();
            targets.add(new MemberTarget(member, target));
        }
        return targets;
    }

    /** A set restored: each member's restore, in order. */
    public record SetRestore(BackupSetRecord set, List<RestoreOrchestrator.RestoreOutcome> members) {
    }

    /**
     * Restores every member into its target, one after the other. The set must be available. A member whose
     * restore fails stops the set restore: the message names the members restored before it.
     */
    public SetRestore restore(BackupSetRecord set, ConfiguredCluster cluster, List<MemberTarget> targets,
            boolean overwrite, ProgressListener progress) {
        if (set.status() != BackupStatus.AVAILABLE) {
            throw new OperationFailedException("backup set " + set.id() + " is " + set.status().label()
                    + ", not available; only a complete set can be restored");
        }
        List<RestoreOrchestrator.RestoreOutcome> done = new ArrayList<>();
        for (MemberTarget target : targets) {
            try {
                done.add(restores.restore(target.member(), cluster, target.target(), overwrite, progress));
            } catch (RuntimeException e) {
                String restored = done.isEmpty() ? "none" : String.join(", ", done.stream()
                        .map(outcome -> outcome.record().target().locator()).toList());
                throw new OperationFailedException("restore of backup set " + set.id() + " stopped at member "
                        + target.member().volume() + " (into " + target.target() + "): " + e.getMessage()
                        + "; members restored before it: " + restored);
            }
        }
        return new SetRestore(set, done);
    }

    /** A set deleted, or found already deleted. */
    public record SetDeletion(BackupSetRecord set, List<DeleteOutcome> members, List<String> notes) {
    }

    /**
     * Deletes a set whole. With {@code delete_grace} (unless {@code now}) an available set is expiring: each member
     * expiring with it, nothing removed. Otherwise - no grace, {@code now}, or a set that is not available (failed,
     * deleting, expiring) - every member is removed, then the group snapshot, and the set is recorded
     * {@code deleted}. A set still being made is refused. A member that cannot be deleted leaves the set
     * {@code deleting}; deleting it again finishes it.
     *
     * @param deletedBy who asks, for the members' records ({@code cairn delete}, {@code retention of schedule x})
     */
    public SetDeletion delete(BackupSetRecord set, ConfiguredCluster cluster, boolean now, String deletedBy) {
        BackupSetRecord current = sets.find(set.id()).orElse(set);
        if (current.status() == BackupStatus.DELETED) {
            return new SetDeletion(current, List.of(), List.of("backup set " + set.id() + " was already deleted"));
        }
        if (current.status() == BackupStatus.CREATING) {
            throw new OperationFailedException("backup set " + set.id() + " is still being made; delete it once it is"
                    + " available or has failed");
        }
        if (current.status() == BackupStatus.EXPIRING && !now) {
            return new SetDeletion(current, List.of(), List.of("backup set " + set.id() + " is expiring already;"
                    + " `cairn undelete " + set.id() + "` brings it back, `cairn delete --now` removes it at once"));
        }
        if (current.status() == BackupStatus.AVAILABLE && !now && !deletions.grace().isZero()) {
            return expire(current, cluster, deletedBy);
        }
        if (current.status() != BackupStatus.DELETING) {
            BackupSetRecord deleting = current.withStatus(BackupStatus.DELETING, current.finishedAt(), current.error());
            if (!sets.update(deleting, current.status())) {
                throw new OperationFailedException("backup set " + set.id() + " changed in the catalog meanwhile");
            }
        }
        List<DeleteOutcome> outcomes = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (BackupRecord member : members(current)) {
            try {
                // At once, an expiring member too: the set is removed whole.
                outcomes.add(deletions.delete(member, cluster, true, deletedBy + " (backup set " + set.id() + ")"));
            } catch (RuntimeException e) {
                failed.add(member.volume() + " (backup " + member.id() + "): " + e.getMessage());
            }
        }
        if (current.holdsGroupSnapshot()) {
            BackendSession session = sessions.session(cluster);
            try {
                session.groupSnapshots().orElseThrow().remove(current.toGroupSnapshot().orElseThrow());
                sets.groupSnapshotRemoved(set.id());
            } catch (RuntimeException e) {
                failed.add("group snapshot " + current.groupSnapshot().orElseThrow().name() + ": " + e.getMessage());
            }
        }
        if (!failed.isEmpty()) {
            throw new OperationFailedException("backup set " + set.id() + " is not deleted yet (it stays deleting;"
                    + " delete it again): " + String.join("; ", failed));
        }
        BackupSetRecord deleted = sets.find(set.id()).orElseThrow().withStatus(BackupStatus.DELETED,
                Optional.of(clock.instant()), current.error());
        sets.update(deleted, BackupStatus.DELETING);
        return new SetDeletion(sets.find(set.id()).orElse(deleted), outcomes, notes);
    }

    /**
     * The set first, then its members: from the moment the set is expiring it is kept or removed whole, and a
     * member that a crash left available is made expiring by {@link #purgeExpired}.
     */
    private SetDeletion expire(BackupSetRecord set, ConfiguredCluster cluster, String deletedBy) {
        BackupSetRecord expiring = set.withStatus(BackupStatus.EXPIRING, set.finishedAt(), set.error());
        if (!sets.update(expiring, BackupStatus.AVAILABLE)) {
            throw new OperationFailedException("backup set " + set.id() + " changed in the catalog meanwhile");
        }
        List<DeleteOutcome> outcomes = expireMembers(expiring, cluster, deletedBy);
        LOG.info("backup set {} on cluster {} expiring ({})", set.id(), cluster.name(), deletedBy);
        return new SetDeletion(sets.find(set.id()).orElse(expiring), outcomes, List.of("kept with every member ("
                + "delete_grace " + DurationText.format(deletions.grace()) + "): `cairn undelete " + set.id()
                + "` brings it back until then; `cairn serve` or `cairn purge` removes it afterwards"));
    }

    /** Makes every stored member that is not expiring yet expiring. */
    private List<DeleteOutcome> expireMembers(BackupSetRecord set, ConfiguredCluster cluster, String deletedBy) {
        List<DeleteOutcome> outcomes = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (BackupRecord member : members(set)) {
            if (!member.status().isStored()) {
                continue;
            }
            try {
                outcomes.add(deletions.delete(member, cluster, false, deletedBy + " (backup set " + set.id() + ")"));
            } catch (RuntimeException e) {
                failed.add(member.volume() + " (backup " + member.id() + "): " + e.getMessage());
            }
        }
        if (!failed.isEmpty()) {
            throw new OperationFailedException("backup set " + set.id() + " is expiring, but not every member is yet"
                    + " (`cairn purge` and serve try again; `cairn undelete " + set.id() + "` brings it back): "
                    + String.join("; ", failed));
        }
        return outcomes;
    }

    /**
     * Brings an expiring set back, every member with it.
     *
     * @return the members undeleted (with their expiring ancestors, for a backend whose backups need their parent)
     * @throws OperationFailedException when the set is not expiring, or a member's grace has passed already
     */
    public List<BackupRecord> undelete(BackupSetRecord set, ConfiguredCluster cluster) {
        BackupSetRecord current = sets.find(set.id()).orElse(set);
        if (current.status() != BackupStatus.EXPIRING) {
            throw GracePeriodDeletions.notExpiring("backup set " + set.id(), current.status());
        }
        List<BackupRecord> members = members(current);
        List<String> purged = members.stream().filter(member -> member.status() == BackupStatus.DELETED
                || member.status() == BackupStatus.DELETING).map(member -> member.volume().locator()).toList();
        if (!purged.isEmpty()) {
            throw new OperationFailedException("backup set " + set.id() + " cannot come back whole: its grace has"
                    + " passed and the members of " + purged + " are purged; `cairn delete --now " + set.id()
                    + "` removes the rest");
        }
        List<BackupRecord> undeleted = new ArrayList<>();
        for (BackupRecord member : members) {
            if (member.status() == BackupStatus.EXPIRING) {
                undeleted.addAll(deletions.undelete(member, cluster));
            }
        }
        if (!sets.update(current.withStatus(BackupStatus.AVAILABLE, current.finishedAt(), current.error()),
                BackupStatus.EXPIRING)) {
            throw new OperationFailedException("backup set " + set.id() + " changed in the catalog meanwhile");
        }
        LOG.info("backup set {} on cluster {} undeleted", set.id(), cluster.name());
        return undeleted;
    }

    /** What a purge did with one expiring set: removed, or why not yet. */
    public record PurgedSet(BackupSetRecord set, Optional<SetDeletion> deletion, Optional<String> waiting) {
    }

    /**
     * Finishes the expiring sets whose members are all purged (their grace passed; {@link GracePeriodDeletions#purge}
     * removed them): removes each one's group snapshot and records it deleted. A member that a crash left stored
     * but not expiring is made expiring now, its grace counted from now.
     *
     * @param clusters the configured cluster of a name
     * @param only     only this cluster's sets, when given
     */
    public List<PurgedSet> purgeExpired(Function<String, ConfiguredCluster> clusters, Optional<String> only) {
        List<PurgedSet> done = new ArrayList<>();
        for (BackupSetRecord set : sets.expiring(only)) {
            try {
                ConfiguredCluster cluster = clusters.apply(set.cluster());
                List<BackupRecord> members = members(set);
                if (members.stream().anyMatch(member -> member.status().isStored())) {
                    expireMembers(set, cluster, "delete of backup set " + set.id());
                    done.add(new PurgedSet(set, Optional.empty(), Optional.of("members left stored are expiring now")));
                } else if (members.stream().anyMatch(member -> member.status() == BackupStatus.EXPIRING)) {
                    done.add(new PurgedSet(set, Optional.empty(), Optional.of("members are in their grace still")));
                } else {
                    SetDeletion deletion = delete(set, cluster, true, "purge of backup set " + set.id());
                    LOG.info("backup set {} on cluster {} purged after its grace", set.id(), set.cluster());
                    done.add(new PurgedSet(deletion.set(), Optional.of(deletion), Optional.empty()));
                }
            } catch (RuntimeException e) {
                LOG.warn("purge of backup set {} failed: {}", set.id(), e.getMessage());
                done.add(new PurgedSet(set, Optional.empty(), Optional.of("the purge failed (tried again later): "
                        + e.getMessage())));
            }
        }
        return done;
    }

    /** One set as retention decided it, and whether it was deleted. */
    public record PrunedSet(BackupSetRecord set, RetentionDecision decision, boolean deleted, Optional<String> failure) {
    }

    /**
     * Applies retention to the sets of one series: every set is one entry (its start time, its status), kept or
     * removed whole - never one member alone. The newest available set is always kept.
     */
    public List<PrunedSet> prune(ConfiguredCluster cluster, String series, RetentionRules rules, ZoneId timeZone,
            boolean dryRun) {
        List<BackupSetRecord> history = sets.series(cluster.name(), series);
        Map<String, BackupSetRecord> byId = history.stream()
                .collect(Collectors.toMap(BackupSetRecord::id, Function.identity()));
        List<BackupEntry> entries = history.stream().map(set -> BackupEntry.full(new BackupId(set.id()),
                set.startedAt(), set.status())).toList();
        RetentionPlan plan = RetentionPolicy.evaluate(entries, rules, timeZone, RestorePointDependency.INDEPENDENT);
        List<PrunedSet> results = new ArrayList<>();
        for (RetentionDecision decision : plan.decisions()) {
            BackupSetRecord set = byId.get(decision.backup().id().value());
            if (decision.keep() || dryRun || set.status() == BackupStatus.DELETED
                    || set.status() == BackupStatus.EXPIRING) {
                results.add(new PrunedSet(set, decision, false, Optional.empty()));
                continue;
            }
            try {
                SetDeletion deletion = delete(set, cluster, false, "retention of " + series);
                LOG.info("retention on {} of cluster {}: deleted backup set {} ({}; {} now)", series, cluster.name(),
                        set.id(), decision.reason(), deletion.set().status().label());
                events.retentionDeletion(cluster.name(), true);
                results.add(new PrunedSet(deletion.set(), decision, true, Optional.empty()));
            } catch (RuntimeException e) {
                LOG.warn("retention on {} of cluster {}: cannot delete backup set {}: {}", series, cluster.name(),
                        set.id(), e.getMessage());
                events.retentionDeletion(cluster.name(), false);
                results.add(new PrunedSet(set, decision, false, Optional.of(e.getMessage() == null
                        ? e.getClass().getSimpleName() : e.getMessage())));
            }
        }
        return results;
    }

    /** The member backups of a set, in the set's order. */
    public List<BackupRecord> members(BackupSetRecord set) {
        List<BackupRecord> members = new ArrayList<>();
        for (BackupSetRecord.Member member : set.members()) {
            members.add(catalog.find(member.backupId()).orElseThrow(() -> new IllegalStateException("member "
                    + member.backupId() + " of backup set " + set.id() + " is not in the catalog")));
        }
        return members;
    }
}
