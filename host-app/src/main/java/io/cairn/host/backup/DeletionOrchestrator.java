package io.cairn.host.backup;

import io.cairn.api.BackendSession;
import io.cairn.api.Capabilities.RestorePointDependency;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.RestoreLog;
import io.cairn.host.catalog.RestoreRecord;
import io.cairn.host.catalog.VolumeLease;
import io.cairn.host.catalog.VolumeLeases;
import io.cairn.host.config.ConfiguredCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes one backup: {@code deleting}, removal of what it owns by its own records
 * ({@link OwnedStorage}: the backend's delete with the backup's own id, metadata and recorded
 * resources, and its source snapshot if the host still holds it), then {@code deleted}.
 *
 * <p>The volume is locked meanwhile, so a backup cannot pick the backup being deleted as its parent, and
 * what failed or interrupted work on the volume left is cleaned up first. A backup being restored is not
 * deleted until the restore ends. A delete that fails leaves the record {@code deleting} with the
 * reason, and is repeated by the next backup or delete of the volume (or by running it again): backends
 * count what is already gone as deleted. A backup that failed is deleted the same way, so that whatever
 * its transfer left is removed; only one that owns nothing is simply marked {@code deleted}.
 */
public final class DeletionOrchestrator {

    private static final Logger LOG = LoggerFactory.getLogger(DeletionOrchestrator.class);

    private final BackupCatalog catalog;
    private final VolumeLeases leases;
    private final RestoreLog restores;
    private final ClusterSessions sessions;
    private final StaleBackupCleaner cleaner;
    private final OwnedStorage storage;

    public DeletionOrchestrator(BackupCatalog catalog, VolumeLeases leases, RestoreLog restores,
            ClusterSessions sessions, StaleBackupCleaner cleaner, OwnedStorage storage) {
        this.catalog = catalog;
        this.leases = leases;
        this.restores = restores;
        this.sessions = sessions;
        this.cleaner = cleaner;
        this.storage = storage;
    }

    /**
     * @throws OperationFailedException when the backup cannot be deleted now (still being created, being
     *         restored, or needed by later backups), or the backend failed
     * @throws io.cairn.host.catalog.VolumeBusyException when a backup of the same volume is running
     */
    public DeleteOutcome delete(BackupRecord backup, ConfiguredCluster cluster) {
        if (backup.status() == BackupStatus.DELETED) {
            return new DeleteOutcome(backup, List.of(), List.of("backup " + backup.id() + " was already deleted"));
        }
        checkNoDependants(backup, cluster);
        BackendSession session = sessions.session(cluster);
        try (VolumeLease lease = leases.acquire(cluster.name(), backup.volume(), "delete of backup " + backup.id(),
                ClientFences.clientOf(session))) {
            LOG.debug("deleting backup {} under lock {}", backup.id(), lease.holder());
            // The backup being deleted is left to the delete itself when it failed, so that its leftovers are
            // reported as what the delete removed; one left creating or deleting is finished first.
            List<BackupRecord> history = catalog.history(cluster.name(), backup.volume()).stream()
                    .filter(r -> !(r.id().equals(backup.id()) && r.status() == BackupStatus.ERROR)).toList();
            List<String> notes = new ArrayList<>(cleaner.clean(session, lease, history).done());
            return deleteLocked(session, backup, cluster, notes);
        }
    }

    /**
     * Deletes a backup whose volume's lease the caller already holds and cleaned under (retention, which
     * holds it for a whole volume). Refuses as {@link #delete} does.
     */
    public DeleteOutcome deleteHoldingLease(BackupRecord backup, ConfiguredCluster cluster, VolumeLease lease) {
        if (!lease.isHeld()) {
            throw new OperationFailedException("the lock of " + backup.volume() + " was lost; backup " + backup.id()
                    + " is not deleted");
        }
        checkNoDependants(backup, cluster);
        return deleteLocked(sessions.session(cluster), backup, cluster, new ArrayList<>());
    }

    private DeleteOutcome deleteLocked(BackendSession session, BackupRecord backup, ConfiguredCluster cluster,
            List<String> notes) {
        BackupRecord current = catalog.find(backup.id()).orElse(backup);
        switch (current.status()) {
            case DELETED:
                notes.add("backup " + backup.id() + " was already deleted");
                return new DeleteOutcome(current, List.of(), notes);
            case CREATING:
                throw new OperationFailedException("backup " + backup.id() + " is still being created; delete it once it"
                        + " is available or has failed");
            case ERROR:
                if (!storage.holdsAnything(current)) {
                    BackupRecord deleted = finish(current, BackupStatus.ERROR);
                    notes.add("backup " + backup.id() + " had failed and left nothing Cairn recorded; marked deleted");
                    return new DeleteOutcome(deleted, List.of(), notes);
                }
                break;
            default:
                break;
        }
        BackupRecord deleting = current.withStatus(BackupStatus.DELETING);
        if (!catalog.update(deleting, current.status())) {
            throw new OperationFailedException("backup " + backup.id() + " changed in the catalog while it was"
                    + " being deleted; try again");
        }
        refuseWhileRestored(session, current, notes);
        OwnedStorage.Removal removal;
        try {
            removal = storage.remove(session, deleting);
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            BackupRecord failed = deleting.withErrorReason("delete failed: " + reason);
            catalog.update(failed, BackupStatus.DELETING);
            throw new OperationFailedException("delete of backup " + backup.id() + " of " + backup.volume()
                    + " on cluster " + cluster.name() + " failed (the next backup or delete of the volume tries again): "
                    + reason + "; it still owns " + storage.describeHeld(catalog.find(backup.id()).orElse(deleting)),
                    failed, e);
        }
        notes.addAll(removal.notes());
        BackupRecord deleted = finish(deleting, BackupStatus.DELETING);
        LOG.info("backup {} of {} on cluster {} deleted", backup.id(), backup.volume(), cluster.name());
        return new DeleteOutcome(catalog.find(backup.id()).orElse(deleted), removal.removed(), notes);
    }

    /**
     * A running restore holds its backup: marked {@code deleting} first, then looked for, so that of a
     * delete and a restore starting together at least one sees the other and backs off. Restores whose
     * process died are marked interrupted (their clients fenced) and hold nothing.
     */
    private void refuseWhileRestored(BackendSession session, BackupRecord before, List<String> notes) {
        for (RestoreRecord dead : restores.interruptDead()) {
            notes.add(dead.describe() + " was " + dead.errorReason().orElse("interrupted"));
            dead.client().flatMap(client -> ClientFences.fence(session, client, dead.holder())).ifPresent(notes::add);
        }
        List<RestoreRecord> live = restores.live(before.id());
        if (live.isEmpty()) {
            return;
        }
        catalog.update(before, BackupStatus.DELETING);
        RestoreRecord first = live.get(0);
        throw new OperationFailedException("backup " + before.id() + " is being restored into " + first.target()
                + " by " + first.holder() + " since " + first.startedAt() + "; delete it once the restore ends");
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

    private BackupRecord finish(BackupRecord record, BackupStatus expected) {
        BackupRecord deleted = record.withStatus(BackupStatus.DELETED);
        if (!catalog.update(deleted, expected)) {
            throw new OperationFailedException("backup " + record.id() + " changed in the catalog while it was being"
                    + " deleted; try again");
        }
        return deleted;
    }
}
