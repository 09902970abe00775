package io.cairn.host.backup;

import io.cairn.api.BackendSession;
import io.cairn.api.Capabilities.RestorePointDependency;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.DeleteRequest;
import io.cairn.api.operation.DeleteResult;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.VolumeLease;
import io.cairn.host.catalog.VolumeLeases;
import io.cairn.host.config.ConfiguredCluster;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes one backup: {@code deleting}, the backend's delete, then {@code deleted}.
 *
 * <p>The volume is locked meanwhile, so a backup cannot pick the backup being deleted as its parent.
 * A delete that fails leaves the record {@code deleting} with the reason, and can simply be repeated:
 * backends count what is already gone as deleted.
 */
public final class DeletionOrchestrator {

    private static final Logger LOG = LoggerFactory.getLogger(DeletionOrchestrator.class);

    private final BackupCatalog catalog;
    private final VolumeLeases leases;
    private final ClusterSessions sessions;
    private final Clock clock;

    public DeletionOrchestrator(BackupCatalog catalog, VolumeLeases leases, ClusterSessions sessions, Clock clock) {
        this.catalog = catalog;
        this.leases = leases;
        this.sessions = sessions;
        this.clock = clock;
    }

    /**
     * @throws OperationFailedException when the backup cannot be deleted now (still being created, or
     *         needed by later backups), or the backend failed
     * @throws io.cairn.host.catalog.VolumeBusyException when a backup of the same volume is running
     */
    public DeleteOutcome delete(BackupRecord backup, ConfiguredCluster cluster) {
        switch (backup.status()) {
            case DELETED:
                return new DeleteOutcome(backup, List.of(), List.of("backup " + backup.id() + " was already deleted"));
            case CREATING:
                throw new OperationFailedException("backup " + backup.id() + " is still being created; delete it once it"
                        + " is available or has failed");
            default:
                break;
        }
        checkNoDependants(backup, cluster);
        try (VolumeLease lease = leases.acquire(cluster.name(), backup.volume(), "delete of backup " + backup.id())) {
            LOG.debug("deleting backup {} under lock {}", backup.id(), lease.holder());
            return deleteLocked(backup, cluster);
        }
    }

    /**
     * Deletes a backup whose volume's lease the caller already holds (retention, which holds it for a
     * whole volume). Refuses as {@link #delete} does.
     */
    public DeleteOutcome deleteHoldingLease(BackupRecord backup, ConfiguredCluster cluster, VolumeLease lease) {
        if (!lease.isHeld()) {
            throw new OperationFailedException("the lock of " + backup.volume() + " was lost; backup " + backup.id()
                    + " is not deleted");
        }
        switch (backup.status()) {
            case DELETED:
                return new DeleteOutcome(backup, List.of(), List.of("backup " + backup.id() + " was already deleted"));
            case CREATING:
                throw new OperationFailedException("backup " + backup.id() + " is still being created");
            default:
                break;
        }
        checkNoDependants(backup, cluster);
        return deleteLocked(backup, cluster);
    }

    private DeleteOutcome deleteLocked(BackupRecord backup, ConfiguredCluster cluster) {
        BackupRecord current = catalog.find(backup.id()).orElse(backup);
        if (current.status() == BackupStatus.ERROR) {
            // A failed backup stored nothing: the backend removed what it had written when it failed.
            BackupRecord deleted = finish(current, current.status());
            return new DeleteOutcome(deleted, List.of(), List.of("backup " + backup.id()
                    + " had failed and stored nothing; marked deleted"));
        }
        BackupRecord deleting = current.withStatus(BackupStatus.DELETING);
        if (!catalog.update(deleting, current.status())) {
            throw new OperationFailedException("backup " + backup.id() + " changed in the catalog while it was"
                    + " being deleted; try again");
        }
        BackendSession session = sessions.session(cluster);
        DeleteResult result;
        try {
            result = session.deletions().delete(new DeleteRequest(deleting.ref()));
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            BackupRecord failed = deleting.withErrorReason("delete failed: " + reason);
            catalog.update(failed, BackupStatus.DELETING);
            throw new OperationFailedException("delete of backup " + backup.id() + " of " + backup.volume()
                    + " on cluster " + cluster.name() + " failed (run it again to retry): " + reason, failed, e);
        }
        List<String> notes = new ArrayList<>(result.notes());
        removeSourceSnapshot(session, deleting, notes);
        BackupRecord deleted = finish(deleting, BackupStatus.DELETING);
        LOG.info("backup {} of {} on cluster {} deleted", backup.id(), backup.volume(), cluster.name());
        return new DeleteOutcome(deleted, result.removed(), notes);
    }

    /** Backends whose backups need their parent keep every ancestor of a backup that stays. */
    private void checkNoDependants(BackupRecord backup, ConfiguredCluster cluster) {
        if (cluster.backend().descriptor().capabilities().restorePoints() != RestorePointDependency.DEPENDS_ON_PARENT) {
            return;
        }
        List<BackupRecord> children = catalog.children(backup.id()).stream()
                .filter(child -> child.status() != BackupStatus.ERROR)
                .toList();
        if (!children.isEmpty()) {
            throw new OperationFailedException("backup " + backup.id() + " is the parent of "
                    + children.stream().map(c -> c.id().value()).collect(Collectors.joining(", "))
                    + ", which cannot be restored without it on backend " + cluster.backend().backendId()
                    + "; delete those first");
        }
    }

    /**
     * The source keeps the snapshot of its newest backup for the next incremental; once that backup
     * is deleted, the snapshot has no use.
     */
    private static void removeSourceSnapshot(BackendSession session, BackupRecord backup, List<String> notes) {
        if (backup.snapshotName().isEmpty()) {
            return;
        }
        try {
            session.snapshots().remove(new VolumeSnapshot(backup.id(), backup.volume(), backup.snapshotName().get(),
                    backup.volumeSizeBytes(), backup.startedAt()));
        } catch (RuntimeException e) {
            notes.add("could not remove source snapshot " + backup.snapshotName().get() + " of " + backup.volume()
                    + ": " + e.getMessage());
        }
    }

    private BackupRecord finish(BackupRecord record, BackupStatus expected) {
        BackupRecord deleted = record.withStatus(BackupStatus.DELETED);
        if (!catalog.update(deleted, expected)) {
            throw new OperationFailedException("backup " + record.id() + " changed in the catalog while it was being"
                    + " deleted; try again");
        }
        return deleted;
    }
}
