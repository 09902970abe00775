package io.cairn.host.backup;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.error.ChainBrokenException;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.TransferRequest;
import io.cairn.api.operation.TransferResult;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.VolumeBusyException;
import io.cairn.host.catalog.VolumeLease;
import io.cairn.host.catalog.VolumeLeases;
import io.cairn.host.events.OperationEvents;
import io.cairn.host.policy.ChainDecision;
import io.cairn.host.policy.ChainPolicy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backup of one volume: lock the volume, clean up what failed work left, plan, record
 * {@code creating}, snapshot (recorded at once), transfer (every storage object journaled before it is
 * created), record {@code available}, then remove the snapshots of the volume's older backups.
 *
 * <p>Whatever fails, no half backup is ever listed as available: the record becomes {@code error} with
 * the reason, and what the backup owns - its snapshot, what its transfer journaled - is removed at once
 * by its own records, or, when that fails too, by the next backup or delete of the volume. When the
 * backend cannot diff from the parent (its restore point or snapshot gone, or an impostor snapshot of its
 * name), the backup is made again from the same snapshot as the full start of a new chain, and the reason
 * is stored.
 */
public final class BackupOrchestrator {

    private static final Logger LOG = LoggerFactory.getLogger(BackupOrchestrator.class);

    private final BackupCatalog catalog;
    private final VolumeLeases leases;
    private final ClusterSessions sessions;
    private final StaleBackupCleaner cleaner;
    private final SourceSnapshots snapshots;
    private final OwnedStorage storage;
    private final Clock clock;
    private final OperationEvents events;

    /** @param events told of every backup that succeeds or fails (metrics) */
    public BackupOrchestrator(BackupCatalog catalog, VolumeLeases leases, ClusterSessions sessions,
            StaleBackupCleaner cleaner, SourceSnapshots snapshots, OwnedStorage storage, Clock clock,
            OperationEvents events) {
        this.catalog = catalog;
        this.leases = leases;
        this.sessions = sessions;
        this.cleaner = cleaner;
        this.snapshots = snapshots;
        this.storage = storage;
        this.clock = clock;
        this.events = events;
    }

    /**
     * Backs the volume up, under a new random id.
     *
     * @throws io.cairn.host.catalog.VolumeBusyException when another backup or delete of the volume runs
     * @throws OperationFailedException when the backup failed; its record is then {@code error}
     */
    public BackupOutcome backup(BackupOrder order, ProgressListener progress) {
        return backup(BackupId.random(), order, progress);
    }

    /**
     * Backs the volume up under the given id, which a caller that starts the backup in the background
     * can hand out before it runs (the HTTP API answers with it).
     *
     * @throws io.cairn.host.catalog.VolumeBusyException when another backup or delete of the volume runs
     * @throws OperationFailedException when the backup failed; its record is then {@code error}
     */
    public BackupOutcome backup(BackupId id, BackupOrder order, ProgressListener progress) {
        return backup(id, order, progress, () -> { });
    }

    /**
     * Backs the volume up, under a new random id, and says when the backup is stored: what follows - removing the
     * snapshots of the volume's older backups, under the volume's lease still - moves no data, so a caller that
     * limits how many backups move data at once (a firing's transfer slots) can let the next one start.
     *
     * @param stored run once the backup is recorded available (not when it fails)
     * @throws io.cairn.host.catalog.VolumeBusyException when another backup or delete of the volume runs
     * @throws OperationFailedException when the backup failed; its record is then {@code error}
     */
    public BackupOutcome backup(BackupOrder order, ProgressListener progress, Runnable stored) {
        return backup(BackupId.random(), order, progress, stored);
    }

    /** As {@link #backup(BackupOrder, ProgressListener, Runnable)}, under the given id. */
    public BackupOutcome backup(BackupId id, BackupOrder order, ProgressListener progress, Runnable stored) {
        String cluster = order.cluster().name();
        BackupOutcome outcome;
        try {
            outcome = run(id, order, progress, stored);
        } catch (VolumeBusyException e) {
            events.backupFailed(cluster, order.volume(), Optional.empty(), OperationEvents.Failure.BUSY);
            throw e;
        } catch (OperationFailedException e) {
            events.backupFailed(cluster, order.volume(), e.record(), OperationEvents.Failure.FAILED);
            throw e;
        } catch (RuntimeException e) {
            events.backupFailed(cluster, order.volume(), Optional.empty(), OperationEvents.Failure.FAILED);
            throw e;
        }
        events.backupSucceeded(outcome.record());
        return outcome;
    }

    private BackupOutcome run(BackupId id, BackupOrder order, ProgressListener progress, Runnable stored) {
        String cluster = order.cluster().name();
        // Connect first: an unreachable cluster fails without leaving a record or a lock behind.
        BackendSession session = sessions.session(order.cluster());
        try (VolumeLease lease = leases.acquire(cluster, order.volume(), "backup " + id,
                ClientFences.clientOf(session))) {
            Planned planned = plan(session, lease, id, order);
            BackupRecord record = planned.record();
            try {
                record = takeSnapshot(planned, order);
                record = transfer(planned, record, order, progress, Optional.empty());
            } catch (RuntimeException e) {
                throw fail(session, lease, record, e);
            }
            stored.run();
            return new BackupOutcome(record, finish(planned, record));
        }
    }

    /**
     * A backup planned and recorded {@code creating}, under its volume's lease; what a backup set holds of
     * each member between its steps.
     *
     * @param session the cluster's session
     * @param lease   the volume's lease, held by the caller
     * @param record  the backup's record as inserted
     * @param parent  the parent of an incremental
     * @param chosen  whether an operator chose the parent ({@code --parent}): a broken chain then fails the
     *                backup instead of making it full
     * @param notes   what the operator should know so far (what the clean-up did)
     * @param history the volume's other backups as the clean-up left them, read once under the lease
     */
    record Planned(BackendSession session, VolumeLease lease, BackupRecord record, Optional<BackupRecord> parent,
            boolean chosen, List<String> notes, List<BackupRecord> history) {
    }

    /**
     * Cleans up what failed work left of the volume, decides full or incremental, and records the backup
     * {@code creating}. The caller holds the volume's lease.
     *
     * @throws ParentRefusedException when the order's chosen parent cannot be one, before anything is recorded
     */
    Planned plan(BackendSession session, VolumeLease lease, BackupId id, BackupOrder order) {
        String cluster = order.cluster().name();
        // Under the lease no other backup or delete of the volume runs, so whatever the catalog holds
        // as creating or deleting was left by a process that died: finish it before planning. The
        // history is read once; the cleaner hands it back as it left it.
        StaleBackupCleaner.Cleaned cleaned = cleaner.clean(session, lease, catalog.history(cluster, order.volume()));
        List<BackupRecord> history = cleaned.history();
        ChainDecision decision;
        Optional<BackupRecord> parent;
        if (order.parent().isPresent()) {
            BackupRecord chosen = chosenParent(order, history);
            decision = ChainDecision.chosenParent(chosen.id(), chosen.chain());
            parent = Optional.of(chosen);
        } else {
            decision = ChainPolicy.decide(order.volume(), BackupRecord.entries(history), clock.instant(),
                    order.chain(), order.cluster().backend().descriptor().capabilities(), order.forceFull());
            parent = decision.parent()
                    .map(parentId -> history.stream().filter(r -> r.id().equals(parentId)).findFirst().orElseThrow());
            if (parent.isPresent() && parent.get().snapshot().isPresent() && !parent.get().snapshotInPlace()) {
                decision = ChainDecision.parentSnapshotRemoved(parent.get().id(), parent.get().snapshotName().get());
                parent = Optional.empty();
            }
        }
        String reason = decision.describe(order.volume());
        LOG.info("backup {} of {} on cluster {}: {}", id, order.volume(), cluster, reason);
        BackupRecord record = BackupRecord.creating(id, cluster, order.volume(), decision.kind(), parent,
                order.labels(), reason, clock.instant());
        catalog.insert(record);
        return new Planned(session, lease, record, parent, order.parent().isPresent(), new ArrayList<>(cleaned.done()),
                history);
    }

    /**
     * The parent an operator chose: an available backup of the same volume through the same cluster file,
     * whose source snapshot is still in place as recorded (the backend checks its identity when it diffs).
     */
    private BackupRecord chosenParent(BackupOrder order, List<BackupRecord> history) {
        BackupId wanted = order.parent().orElseThrow();
        BackupRecord chosen = catalog.find(wanted).orElseThrow(() -> new ParentRefusedException("backup " + wanted
                + " cannot be the parent: it is not in the catalog"));
        String refused = "backup " + wanted + " cannot be the parent of a backup of " + order.volume() + " on cluster "
                + order.cluster().name() + ": ";
        if (!chosen.volume().equals(order.volume()) || !chosen.cluster().equals(order.cluster().name())) {
            throw new ParentRefusedException(refused + "it is a backup of " + chosen.volume() + " on cluster "
                    + chosen.cluster());
        }
        if (order.forceFull()) {
            throw new ParentRefusedException(refused + "--full and --parent exclude each other");
        }
        if (!order.cluster().backend().descriptor().capabilities().incremental()) {
            throw new ParentRefusedException(refused + "the backend makes full backups only");
        }
        BackupRecord current = history.stream().filter(r -> r.id().equals(wanted)).findFirst().orElse(chosen);
        if (current.status() != BackupStatus.AVAILABLE) {
            throw new ParentRefusedException(refused + "it is " + current.status().label() + ", not available");
        }
        if (current.snapshot().isEmpty() || !current.snapshotInPlace()) {
            throw new ParentRefusedException(refused + "its source snapshot "
                    + current.snapshotName().map(name -> order.volume() + "@" + name + " ").orElse("")
                    + "is gone (removed when a newer backup was stored), so there is nothing to diff from");
        }
        return current;
    }

    /**
     * Takes the backup's snapshot and records it - or, for a backup of an existing snapshot
     * ({@code VOLUME@SNAP}), finds that one and records it as external, never to be removed by Cairn.
     */
    BackupRecord takeSnapshot(Planned planned, BackupOrder order) {
        if (order.snapshot().isEmpty()) {
            return snapshots.take(planned.session(), planned.record());
        }
        return snapshots.adopt(planned.session(), planned.record(), order.snapshot().get(),
                order.cluster().backend().descriptor().id());
    }

    /**
     * The transfer; when the backend cannot diff from the planned parent, once more from the same snapshot as a
     * full - unless an operator chose the parent, whose refusal then fails the backup with the backend's reason.
     *
     * @param groupImage for a member of a backup set, its image in the set's group snapshot
     */
    BackupRecord transfer(Planned planned, BackupRecord record, BackupOrder order, ProgressListener progress,
            Optional<VolumeSnapshot> groupImage) {
        Optional<BackupRecord> parent = planned.parent();
        try {
            return transferOnce(planned.session(), record, parent, order, progress, groupImage);
        } catch (ChainBrokenException e) {
            if (parent.isEmpty()) {
                throw e; // a full backup has no chain to break: the backend's error stands
            }
            if (planned.chosen()) {
                throw new ParentRefusedException("backup " + parent.get().id() + " cannot be the parent: " + e.getMessage(),
                        e);
            }
            String reason = ChainDecision.restorePointGone(parent.get().id(), e.getMessage())
                    .describe(order.volume());
            LOG.warn("backup {} of {} on cluster {}: {}", record.id(), order.volume(), record.cluster(), reason);
            planned.notes().add(reason);
            BackupRecord replanned = record.asNewChain(reason);
            updateOrFail(replanned, BackupStatus.CREATING);
            return transferOnce(planned.session(), replanned, Optional.empty(), order, progress, groupImage);
        }
    }

    /**
     * After the backup is stored: with the lease still held, the snapshots of the volume's older backups are
     * removed (the newest keeps its own, for the next incremental).
     *
     * @return the notes for the operator
     */
    List<String> finish(Planned planned, BackupRecord stored) {
        List<String> notes = new ArrayList<>(planned.notes());
        if (!planned.lease().isHeld()) {
            notes.add("the lock of " + stored.volume() + " expired during the backup and was taken over; check for"
                    + " a concurrent backup of the same volume");
        } else {
            notes.addAll(snapshots.removeOlder(planned.session(), stored, planned.history()));
        }
        return notes;
    }

    private BackupRecord transferOnce(BackendSession session, BackupRecord record, Optional<BackupRecord> parent,
            BackupOrder order, ProgressListener progress, Optional<VolumeSnapshot> groupImage) {
        Optional<BackupRef> parentRef = parent.map(catalog::ref);
        TransferRequest request = new TransferRequest(
                record.snapshot().orElseThrow().toVolumeSnapshot(record.id(), record.volume()), parentRef,
                order.labels(), progress, new CatalogJournal(catalog, record.id(), clock));
        TransferResult result = session.transfers().transfer(groupImage.map(request::readingFrom).orElse(request));
        BackupRecord available = record.available(result.kind(), result.metadata(), result.volumeSizeBytes(),
                result.bytesRead(), result.bytesWritten(), clock.instant());
        updateOrFail(available, BackupStatus.CREATING);
        LOG.info("backup {} of {} on cluster {} is available", record.id(), order.volume(), record.cluster());
        return available;
    }

    /**
     * Records the failure, then removes what the backup owns by its own records. What cannot be removed
     * now stays recorded, is named in the message, and is removed by the next backup or delete of the
     * volume.
     */
    OperationFailedException fail(BackendSession session, VolumeLease lease, BackupRecord record,
            RuntimeException cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        BackupRecord current = catalog.find(record.id()).orElse(record);
        BackupRecord failed = current.failed(reason, clock.instant());
        String left = "";
        try {
            if (!catalog.update(failed, current.status())) {
                throw new IllegalStateException("backup " + record.id() + " changed in the catalog meanwhile");
            }
            if (lease.isHeld()) {
                // Without the lease, whoever took it over cleans this backup up as interrupted.
                storage.remove(session, failed);
                failed = catalog.find(record.id()).orElse(failed);
            }
        } catch (RuntimeException e) {
            LOG.warn("backup {}: cannot clean up after the failure yet: {}", record.id(), e.getMessage());
            left = "; left for the next backup or delete of " + record.volume() + " to remove: "
                    + describeHeld(failed);
        }
        LOG.debug("backup {} failed", record.id(), cause);
        return new OperationFailedException("backup " + record.id() + " of " + record.volume() + " on cluster "
                + record.cluster() + " failed: " + reason + left, failed, cause);
    }

    private String describeHeld(BackupRecord record) {
        try {
            return storage.describeHeld(catalog.find(record.id()).orElse(record));
        } catch (RuntimeException e) {
            return "what the catalog records for backup " + record.id();
        }
    }

    private void updateOrFail(BackupRecord record, BackupStatus expected) {
        if (!catalog.update(record, expected)) {
            throw new IllegalStateException("backup " + record.id() + " is no longer " + expected.label()
                    + " in the catalog; another process changed it");
        }
    }
}
