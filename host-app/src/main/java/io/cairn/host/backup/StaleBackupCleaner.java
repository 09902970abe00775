package io.cairn.host.backup;

import io.cairn.api.BackendSession;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.ProcessIdentity;
import io.cairn.host.catalog.VolumeLease;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what failed or interrupted work on a volume left behind. Called by the holder of the volume's
 * lease before every backup, delete and prune of the volume, and by crash recovery: every backup or
 * delete holds that lease while it runs, so under it any record still {@code creating} or
 * {@code deleting} was left by a process that died, never in progress.
 *
 * <ol>
 *   <li>When the lease was taken over from a holder that died or let it expire, that holder's backend
 *       client is fenced first ({@link ClientFences}), so that what it held is free at once.</li>
 *   <li>{@code creating} (interrupted): what the backup owns is removed by its own records - its source
 *       snapshot (recorded by name before it was taken, so also one taken just before the process died) and
 *       the resources its transfer journaled, handed to the backend's delete with the
 *       backup's own id and its own (empty) metadata, never its parent's - then it becomes {@code error},
 *       "interrupted".</li>
 *   <li>{@code deleting} (interrupted delete): the delete is repeated, then {@code deleted}.</li>
 *   <li>{@code error} that still owns something (its clean-up failed when it failed, e.g. the cluster
 *       stopped answering): the clean-up is repeated.</li>
 *   <li>Older available backups that still hold their source snapshot (a backup was killed after it was
 *       stored and before it removed them): their snapshots are removed, so that only the newest keeps
 *       one, as after every backup.</li>
 * </ol>
 * Nothing else is touched: no snapshot or image is removed because of its name. A step that fails is
 * logged and reported with the names of what stays, and tried again next time; it never fails the
 * caller's operation.
 */
public final class StaleBackupCleaner {

    private static final Logger LOG = LoggerFactory.getLogger(StaleBackupCleaner.class);

    private final BackupCatalog catalog;
    private final OwnedStorage storage;
    private final Clock clock;
    private final ProcessIdentity process;

    public StaleBackupCleaner(BackupCatalog catalog, OwnedStorage storage, Clock clock, ProcessIdentity process) {
        this.catalog = catalog;
        this.storage = storage;
        this.clock = clock;
        this.process = process;
    }

    /**
     * Cleans one volume under its lease.
     *
     * @param lease   the volume's lease, held by the caller
     * @param history the volume's history as the caller read it under the lease
     * @return what was done, and the history as the cleaning left it (the caller plans on it)
     */
    public Cleaned clean(BackendSession session, VolumeLease lease, List<BackupRecord> history) {
        String cluster = lease.cluster();
        VolumeRef volume = lease.volume();
        List<String> done = new ArrayList<>();
        lease.takenOver().ifPresent(previous -> {
            done.add("took the lock over from " + previous);
            previous.client().flatMap(client -> ClientFences.fence(session, client, previous.holder()))
                    .ifPresent(done::add);
        });
        List<BackupRecord> after = new ArrayList<>(history.size());
        Set<BackupId> holdingResources = history.stream().anyMatch(r -> r.status() == BackupStatus.ERROR)
                ? catalog.holdingResources(cluster, volume) : Set.of();
        for (BackupRecord record : history) {
            try {
                record = switch (record.status()) {
                    case CREATING -> finishInterruptedBackup(session, record, done);
                    case DELETING -> finishInterruptedDelete(session, record, done);
                    case ERROR -> record.holdsSnapshot() || holdingResources.contains(record.id())
                            ? finishFailedBackup(session, record, done) : record;
                    default -> record;
                };
            } catch (RuntimeException e) {
                LOG.warn("cannot clean up backup {} of {} on cluster {} yet: {}", record.id(), volume, cluster,
                        e.getMessage());
                done.add("could not clean up backup " + record.id() + " yet (" + message(e) + "); it still owns "
                        + storage.describeHeld(record));
            }
            after.add(record);
        }
        done.addAll(releaseOlderSnapshots(session, after));
        done.forEach(line -> LOG.info("cluster {}, {}: {}", cluster, volume, line));
        return new Cleaned(done, after);
    }

    /**
     * @param done    one line per thing done, for the log and the operator
     * @param history the volume's history after the cleaning, oldest first
     */
    public record Cleaned(List<String> done, List<BackupRecord> history) {
        public Cleaned {
            done = List.copyOf(done);
            history = List.copyOf(history);
        }
    }

    /**
     * Only the newest available backup of the volume keeps its snapshot (per cluster file). A backup killed
     * after it was stored but before it removed the older backups' snapshots - or while it removed one,
     * which leaves it half-removed - left them held; they are removed as that backup would have.
     */
    private List<String> releaseOlderSnapshots(BackendSession session, List<BackupRecord> history) {
        BackupRecord newest = null;
        for (BackupRecord record : history) {
            if (record.status() == BackupStatus.AVAILABLE) {
                newest = record;
            }
        }
        BackupRecord kept = newest;
        boolean olderHeld = kept != null && history.stream()
                .anyMatch(r -> r != kept && r.status() == BackupStatus.AVAILABLE && r.holdsSnapshot());
        return olderHeld ? storage.releaseOlderSnapshots(session, kept) : List.of();
    }

    private BackupRecord finishInterruptedBackup(BackendSession session, BackupRecord record, List<String> done) {
        OwnedStorage.Removal removal = storage.remove(session, record);
        String reason = "interrupted: the process running it stopped before it finished; cleaned up by " + process
                + (removal.removed().isEmpty() ? " (nothing was stored)" : ": removed "
                + String.join(", ", removal.removed()));
        BackupRecord failed = record.failed(reason, clock.instant());
        if (!catalog.update(failed, BackupStatus.CREATING)) {
            throw new IllegalStateException("backup " + record.id() + " changed in the catalog meanwhile");
        }
        done.add("backup " + record.id() + " was left creating; " + reason);
        if (record.snapshot().isEmpty()) {
            // Killed before its snapshot's name was recorded: the backend took none yet, or - a backend of plugin
            // API 1.1 or older, which does not announce the name before taking it - took one Cairn never learnt
            // of. A snapshot that Cairn did not record is not removed, whatever its name, but the operator hears
            // of it.
            done.add("backup " + record.id() + " was interrupted before a snapshot of " + record.volume()
                    + " was recorded for it; if the volume has a snapshot named for backup " + record.id()
                    + ", it was taken for it and can be removed by hand");
        }
        removal.notes().forEach(note -> done.add("backup " + record.id() + ": " + note));
        return catalog.find(record.id()).orElse(failed);
    }

    private BackupRecord finishInterruptedDelete(BackendSession session, BackupRecord record, List<String> done) {
        OwnedStorage.Removal removal = storage.remove(session, record);
        BackupRecord deleted = record.withStatus(BackupStatus.DELETED);
        if (!catalog.update(deleted, BackupStatus.DELETING)) {
            throw new IllegalStateException("backup " + record.id() + " changed in the catalog meanwhile");
        }
        done.add("backup " + record.id() + " was left deleting; delete finished"
                + (removal.removed().isEmpty() ? "" : ": removed " + String.join(", ", removal.removed())));
        return catalog.find(record.id()).orElse(deleted);
    }

    private BackupRecord finishFailedBackup(BackendSession session, BackupRecord record, List<String> done) {
        OwnedStorage.Removal removal = storage.remove(session, record);
        done.add("backup " + record.id() + " had failed and still owned storage; removed "
                + (removal.removed().isEmpty() ? "nothing left (it was gone already)"
                        : String.join(", ", removal.removed())));
        return catalog.find(record.id()).orElse(record);
    }

    private static String message(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
