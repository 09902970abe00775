package io.cairn.host.backup;

import io.cairn.api.Capabilities.RestorePointDependency;
import io.cairn.api.model.BackupId;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.ExpiringBackups;
import io.cairn.host.catalog.Expiry;
import io.cairn.host.catalog.ImportLog;
import io.cairn.host.catalog.ImportedBackup;
import io.cairn.host.catalog.ProcessIdentity;
import io.cairn.host.catalog.VolumeBusyException;
import io.cairn.host.catalog.VolumeLease;
import io.cairn.host.catalog.VolumeLeases;
import io.cairn.host.config.ConfiguredCluster;
import io.cairn.api.option.DurationText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door of every delete - an operator's, retention's - with {@code delete_grace}: a stored
 * backup is not removed at once but marked {@code expiring}, keeping its data, until the grace has passed;
 * {@link #undelete} brings it back meanwhile, {@link #purge} removes it for good afterwards (through
 * {@link DeletionOrchestrator}, as a delete without grace does). With a grace of 0 every delete goes
 * straight through.
 *
 * <p>Chains stay whole: for a backend whose backups depend on their parent a backup is purged only once
 * no backup that needs it is left (an expiring child keeps its parent until the child is purged), and
 * undeleting a backup undeletes its expiring ancestors with it.
 *
 * <p>Backups another tool wrote ({@code cairn catalog rebuild} imported them) are not Cairn's to delete
 * until an operator adopts them.
 */
public final class GracePeriodDeletions {

    private static final Logger LOG = LoggerFactory.getLogger(GracePeriodDeletions.class);

    private final BackupCatalog catalog;
    private final ExpiringBackups expiring;
    private final ImportLog imports;
    private final VolumeLeases leases;
    private final DeletionOrchestrator deletions;
    private final Duration grace;
    private final Clock clock;
    private final ProcessIdentity process;

    public GracePeriodDeletions(BackupCatalog catalog, ExpiringBackups expiring, ImportLog imports, VolumeLeases leases,
            DeletionOrchestrator deletions, Duration grace, Clock clock, ProcessIdentity process) {
        this.catalog = catalog;
        this.expiring = expiring;
        this.imports = imports;
        this.leases = leases;
        this.deletions = deletions;
        this.grace = grace;
        this.clock = clock;
        this.process = process;
    }

    /** The grace a delete keeps a backup for; zero when deletes are immediate. */
    public Duration grace() {
        return grace;
    }

    /**
     * Deletes a backup: marks it expiring for the grace period, or - with no grace, with {@code now}, or
     * when it holds no data (failed) - removes it through the backend.
     *
     * @param now       remove it at once, whatever the grace (and purge an expiring one)
     * @param deletedBy who asks, for the record ({@code cairn delete}, {@code retention of schedule x})
     */
    public DeleteOutcome delete(BackupRecord backup, ConfiguredCluster cluster, boolean now, String deletedBy) {
        refuseForeign(backup);
        if (backup.status() == BackupStatus.EXPIRING) {
            if (!now) {
                Expiry expiry = expiring.find(backup.id()).orElseThrow();
                return new DeleteOutcome(backup, List.of(), List.of("backup " + backup.id() + " is expiring already,"
                        + " until " + expiry.expiresAt() + "; `cairn undelete " + backup.id() + "` brings it back,"
                        + " `cairn delete --now` removes it at once"));
            }
            return purgeOne(backup, cluster);
        }
        if (now || grace.isZero() || !backup.status().isStored()) {
            return deletions.delete(backup, cluster);
        }
        return expire(backup, cluster, deletedBy);
    }

    /** Retention's delete, under the volume's lease it holds for the whole prune. */
    public DeleteOutcome deleteHoldingLease(BackupRecord backup, ConfiguredCluster cluster, VolumeLease lease,
            String deletedBy) {
        refuseForeign(backup);
        if (grace.isZero() || !backup.status().isStored()) {
            return deletions.deleteHoldingLease(backup, cluster, lease);
        }
        return expire(backup, cluster, deletedBy);
    }

    private DeleteOutcome expire(BackupRecord backup, ConfiguredCluster cluster, String deletedBy) {
        if (cluster.backend().descriptor().capabilities().restorePoints() == RestorePointDependency.DEPENDS_ON_PARENT) {
            // Children in their grace are no obstacle: they keep this backup's data until they are purged.
            List<BackupId> children = catalog.children(backup.id()).stream()
                    .filter(child -> child.status() != BackupStatus.ERROR && child.status() != BackupStatus.EXPIRING)
                    .map(BackupRecord::id).toList();
            if (!children.isEmpty()) {
                throw new OperationFailedException("backup " + backup.id() + " is the parent of " + children
                        + ", which cannot be restored without it on backend " + cluster.backend().backendId()
                        + "; delete those first");
            }
        }
        Instant at = clock.instant();
        Expiry expiry = new Expiry(backup.id(), backup.status(), at, at.plus(grace), process + " (" + deletedBy + ")");
        if (!expiring.expire(expiry)) {
            throw new OperationFailedException("backup " + backup.id() + " changed in the catalog while it was being"
                    + " deleted; try again");
        }
        LOG.info("backup {} of {} on cluster {} expiring until {} ({})", backup.id(), backup.volume(), cluster.name(),
                expiry.expiresAt(), deletedBy);
        BackupRecord now = catalog.find(backup.id()).orElse(backup.withStatus(BackupStatus.EXPIRING));
        return new DeleteOutcome(now, List.of(), List.of("kept until " + expiry.expiresAt() + " (delete_grace "
                + DurationText.format(grace) + "): `cairn undelete " + backup.id() + "` brings it back until then;"
                + " `cairn serve` or `cairn purge` removes it afterwards"));
    }

    /**
     * Brings an expiring backup back, with its expiring ancestors when the backend's backups need their
     * parent.
     *
     * @return every backup undeleted, the asked one first
     * @throws OperationFailedException when the backup is not expiring
     */
    public List<BackupRecord> undelete(BackupRecord backup, ConfiguredCluster cluster) {
        if (backup.status() != BackupStatus.EXPIRING) {
            throw notExpiring("backup " + backup.id(), backup.status());
        }
        List<BackupRecord> undeleted = new ArrayList<>();
        Optional<BackupRecord> current = Optional.of(backup);
        boolean dependsOnParent = cluster.backend().descriptor().capabilities().restorePoints()
                == RestorePointDependency.DEPENDS_ON_PARENT;
        while (current.isPresent() && current.get().status() == BackupStatus.EXPIRING) {
            BackupRecord record = current.get();
            Optional<BackupStatus> back = expiring.undelete(record.id());
            if (back.isEmpty()) {
                throw new OperationFailedException("backup " + record.id() + " stopped expiring meanwhile (purged or"
                        + " undeleted by another process); see `cairn show " + record.id() + "`");
            }
            undeleted.add(record.withStatus(back.get()));
            current = dependsOnParent ? record.parent().flatMap(catalog::find) : Optional.empty();
        }
        return undeleted;
    }

    /** Why {@code what} (a backup, a backup set) in {@code status} cannot be undeleted. */
    static OperationFailedException notExpiring(String what, BackupStatus status) {
        return new OperationFailedException(what + " is " + status.label() + ", not expiring: "
                + (status == BackupStatus.DELETED ? "its grace had passed and it was purged; nothing can bring it back"
                        : "there is nothing to undelete"));
    }

    /** What a purge did with one expiring backup. */
    public record Purged(BackupRecord backup, Optional<DeleteOutcome> outcome, Optional<String> skipped) {
    }

    /**
     * Removes for good every expiring backup whose grace has passed at {@code now}, newest first, each under
     * its volume's lease: one whose volume is busy, or that a backup still in grace needs, waits for the
     * next purge.
     *
     * @param clusters the configured cluster of a name (purges of a cluster whose file is gone are reported)
     * @param only     only this cluster's, when given
     */
    public List<Purged> purge(Function<String, ConfiguredCluster> clusters, Optional<String> only, boolean dryRun) {
        Instant now = clock.instant();
        List<BackupRecord> due = new ArrayList<>();
        for (Expiry expiry : expiring.due(now)) {
            catalog.find(expiry.backupId()).filter(record -> only.map(record.cluster()::equals).orElse(true))
                    .ifPresent(due::add);
        }
        due.sort(Comparator.comparing(BackupRecord::startedAt).thenComparing(r -> r.id().value()).reversed());
        List<Purged> purged = new ArrayList<>();
        for (BackupRecord backup : due) {
            ConfiguredCluster cluster;
            try {
                cluster = clusters.apply(backup.cluster());
            } catch (RuntimeException e) {
                purged.add(new Purged(backup, Optional.empty(), Optional.of("its cluster cannot be used: " + e.getMessage())));
                continue;
            }
            Optional<String> needed = neededBy(backup, cluster);
            if (needed.isPresent()) {
                purged.add(new Purged(backup, Optional.empty(), needed));
                continue;
            }
            if (dryRun) {
                purged.add(new Purged(backup, Optional.empty(), Optional.of("would be removed (dry run)")));
                continue;
            }
            try {
                purged.add(new Purged(backup, Optional.of(purgeOne(backup, cluster)), Optional.empty()));
            } catch (VolumeBusyException e) {
                purged.add(new Purged(backup, Optional.empty(), Optional.of("its volume is busy; purged later: "
                        + e.getMessage())));
            } catch (RuntimeException e) {
                LOG.warn("purge of backup {} failed: {}", backup.id(), e.getMessage());
                purged.add(new Purged(backup, Optional.empty(), Optional.of("the purge failed (tried again later): "
                        + e.getMessage())));
            }
        }
        return purged;
    }

    private DeleteOutcome purgeOne(BackupRecord backup, ConfiguredCluster cluster) {
        Optional<String> needed = neededBy(backup, cluster);
        if (needed.isPresent()) {
            throw new OperationFailedException("backup " + backup.id() + " cannot be removed yet: " + needed.get());
        }
        DeleteOutcome outcome = deletions.purge(backup, cluster, () -> expiring.startPurge(backup.id()));
        LOG.info("backup {} of {} on cluster {} purged after its grace", backup.id(), backup.volume(), cluster.name());
        return outcome;
    }

    /** For a backend whose backups need their parent: the backups not deleted yet that need this one. */
    private Optional<String> neededBy(BackupRecord backup, ConfiguredCluster cluster) {
        if (cluster.backend().descriptor().capabilities().restorePoints() != RestorePointDependency.DEPENDS_ON_PARENT) {
            return Optional.empty();
        }
        List<BackupId> children = catalog.children(backup.id()).stream()
                .filter(child -> child.status() != BackupStatus.ERROR).map(BackupRecord::id).toList();
        return children.isEmpty() ? Optional.empty() : Optional.of("backups " + children + " still need it (on backend "
                + cluster.backend().backendId() + " a backup needs its parent); it is purged after them");
    }

    private void refuseForeign(BackupRecord backup) {
        if (backup.status() == BackupStatus.FOREIGN) {
            String origin = imports.find(backup.id()).map(ImportedBackup::origin).orElse("another tool");
            throw new OperationFailedException("backup " + backup.id() + " was written by " + origin
                    + " and imported by `cairn catalog rebuild`: Cairn does not delete what it did not write. `cairn adopt "
                    + backup.id() + "` makes it Cairn's to delete (and to prune)");
        }
    }
}
