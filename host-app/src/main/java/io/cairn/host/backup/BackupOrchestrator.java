package io.cairn.host.backup;

import io.cairn.api.BackendSession;
import io.cairn.api.ProgressListener;
import io.cairn.api.error.ChainBrokenException;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.SnapshotRequest;
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
 * One backup of one volume: lock the volume, plan, record {@code creating}, snapshot, transfer,
 * record {@code available}, then remove the previous backup's snapshot from the source.
 *
 * <p>Whatever fails, no half backup is ever listed as available: the record becomes {@code error}
 * with the reason, and the backend has removed what the transfer wrote (its contract). When the
 * parent's restore point is gone, the backup is made again as the full start of a new chain.
 */
public final class BackupOrchestrator {

    private static final Logger LOG = LoggerFactory.getLogger(BackupOrchestrator.class);

    private final BackupCatalog catalog;
    private final VolumeLeases leases;
    private final ClusterSessions sessions;
    private final StaleBackupCleaner cleaner;
    private final Clock clock;
    private final OperationEvents events;

    /** @param events told of every backup that succeeds or fails (metrics) */
    public BackupOrchestrator(BackupCatalog catalog, VolumeLeases leases, ClusterSessions sessions,
            StaleBackupCleaner cleaner, Clock clock, OperationEvents events) {
        this.catalog = catalog;
        this.leases = leases;
        this.sessions = sessions;
        this.cleaner = cleaner;
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
        String cluster = order.cluster().name();
        BackupOutcome outcome;
        try {
            outcome = run(id, order, progress);
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

    private BackupOutcome run(BackupId id, BackupOrder order, ProgressListener progress) {
        String cluster = order.cluster().name();
        // Connect first: an unreachable cluster fails without leaving a record or a lock behind.
        BackendSession session = sessions.session(order.cluster());
        try (VolumeLease lease = leases.acquire(cluster, order.volume(), "backup " + id)) {
            // Under the lease no other backup or delete of the volume runs, so whatever the catalog holds
            // as creating or deleting was left by a process that died: finish it before planning. The
            // history is read once; the cleaner hands it back as it left it.
            List<BackupRecord> history = cleaner.clean(session, cluster, order.volume(),
                    catalog.history(cluster, order.volume())).history();
            ChainDecision decision = ChainPolicy.decide(order.volume(), BackupEntries.of(history), clock.instant(),
                    order.chain(), order.cluster().backend().descriptor().capabilities(), order.forceFull());
            String reason = decision.describe(order.volume());
            LOG.info("backup {} of {} on cluster {}: {}", id, order.volume(), cluster, reason);
            Optional<BackupRecord> parent = decision.parent()
                    .map(parentId -> history.stream().filter(r -> r.id().equals(parentId)).findFirst().orElseThrow());
            BackupRecord record = BackupRecord.creating(id, cluster, order.volume(), decision.kind(), parent,
                    order.labels(), reason, clock.instant());
            catalog.insert(record);
            List<String> notes = new ArrayList<>();
            try {
                record = storeWithFallback(session, record, parent, order, progress, notes);
            } catch (RuntimeException e) {
                throw fail(record, e);
            }
            if (!lease.isHeld()) {
                notes.add("the lock of " + order.volume() + " expired during the backup and was taken over; check for"
                        + " a concurrent backup of the same volume");
            }
            removeOlderSnapshots(session, record, history, notes);
            return new BackupOutcome(record, notes);
        }
    }

    /** Snapshot and transfer; on a broken chain, once more as the full start of a new chain. */
    private BackupRecord storeWithFallback(BackendSession session, BackupRecord record, Optional<BackupRecord> parent,
            BackupOrder order, ProgressListener progress, List<String> notes) {
        try {
            return store(session, record, parent, order, progress);
        } catch (ChainBrokenException e) {
            if (parent.isEmpty()) {
                throw e; // a full backup has no chain to break: the backend's error stands
            }
            String reason = ChainDecision.restorePointGone(parent.get().id(), e.getMessage())
                    .describe(order.volume());
            LOG.warn("backup {} of {} on cluster {}: {}", record.id(), order.volume(), record.cluster(), reason);
            notes.add(reason);
            BackupRecord current = catalog.find(record.id()).orElse(record);
            BackupRecord replanned = current.asNewChain(reason);
            updateOrFail(replanned, BackupStatus.CREATING);
            return store(session, replanned, Optional.empty(), order, progress);
        }
    }

    private BackupRecord store(BackendSession session, BackupRecord record, Optional<BackupRecord> parent,
            BackupOrder order, ProgressListener progress) {
        VolumeSnapshot snapshot = session.snapshots().create(new SnapshotRequest(record.id(), order.volume()));
        BackupRecord snapshotted = record.withSnapshot(snapshot.name());
        updateOrFail(snapshotted, BackupStatus.CREATING);
        TransferResult result;
        try {
            result = session.transfers().transfer(new TransferRequest(snapshot, parent.map(BackupRecord::ref),
                    order.labels(), progress));
        } catch (RuntimeException e) {
            // The snapshot is the host's (plugin API 1.1): backends leave it, on failure too.
            removeQuietly(session, snapshot);
            throw e;
        }
        BackupRecord available = snapshotted.available(result.kind(), result.metadata(), result.volumeSizeBytes(),
                result.bytesRead(), result.bytesWritten(), clock.instant());
        updateOrFail(available, BackupStatus.CREATING);
        LOG.info("backup {} of {} on cluster {} is available", record.id(), order.volume(), record.cluster());
        return available;
    }

    /**
     * Only the newest backup of a volume keeps its source snapshot, for the next incremental: the
     * backup that kept it until now - the newest available one in the history read before this
     * backup - gives it up. Only that recorded snapshot is removed: since plugin API 1.1 backends no longer
     * remove snapshots by name pattern ({@code removeAllBut}).
     */
    private void removeOlderSnapshots(BackendSession session, BackupRecord record, List<BackupRecord> history,
            List<String> notes) {
        List<BackupRecord> earlier = history.stream()
                .filter(r -> !r.id().equals(record.id()) && r.status() == BackupStatus.AVAILABLE
                        && r.snapshotName().isPresent())
                .toList();
        if (earlier.isEmpty()) {
            return;
        }
        BackupRecord previous = earlier.get(earlier.size() - 1);
        String name = previous.snapshotName().get();
        try {
            session.snapshots().remove(new VolumeSnapshot(previous.id(), previous.volume(), name,
                    previous.volumeSizeBytes(), previous.startedAt()));
        } catch (RuntimeException e) {
            // The backup is stored; a left-over snapshot costs space, not safety.
            LOG.warn("backup {}: cannot remove snapshot {} of {}: {}", record.id(), name, record.volume(), e.getMessage());
            notes.add("could not remove the previous backup's snapshot " + name + " from " + record.volume() + ": "
                    + e.getMessage());
        }
    }

    private OperationFailedException fail(BackupRecord record, RuntimeException cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        BackupRecord current = catalog.find(record.id()).orElse(record);
        BackupRecord failed = current.failed(reason, clock.instant());
        try {
            catalog.update(failed, current.status());
        } catch (RuntimeException e) {
            LOG.error("backup {}: cannot record the failure in the catalog: {}", record.id(), e.getMessage());
        }
        LOG.debug("backup {} failed", record.id(), cause);
        return new OperationFailedException("backup " + record.id() + " of " + record.volume() + " on cluster "
                + record.cluster() + " failed: " + reason, failed, cause);
    }

    private void updateOrFail(BackupRecord record, BackupStatus expected) {
        if (!catalog.update(record, expected)) {
            throw new IllegalStateException("backup " + record.id() + " is no longer " + expected.label()
                    + " in the catalog; another process changed it");
        }
    }

    private static void removeQuietly(BackendSession session, VolumeSnapshot snapshot) {
        try {
            session.snapshots().remove(snapshot);
        } catch (RuntimeException e) {
            LOG.warn("cannot remove snapshot {} of {}: {}", snapshot.name(), snapshot.volume(), e.getMessage());
        }
    }
}
