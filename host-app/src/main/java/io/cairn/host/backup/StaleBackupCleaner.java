package io.cairn.host.backup;

import io.cairn.api.BackendSession;
import io.cairn.api.error.VolumeNotFoundException;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.DeleteRequest;
import io.cairn.api.operation.DeleteResult;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.ProcessIdentity;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up after a process that died while it worked on a volume. Only ever called by the holder of
 * the volume's lease: every backup or delete holds that lease while it runs, so under it any record
 * still {@code creating} or {@code deleting} is left over, never in progress.
 *
 * <ul>
 *   <li>{@code creating}: the backend's delete removes whatever the interrupted backup wrote (base
 *       image of a new chain, snapshots, metadata; backends count what is gone as deleted), then the
 *       record becomes {@code error}, "interrupted". Such a record has no service metadata of its own
 *       yet; an incremental one gets its parent's, which locates where it was being written.</li>
 *   <li>{@code deleting}: the delete is repeated, then the record becomes {@code deleted}.</li>
 *   <li>Backup snapshots on the source volume that belong to no {@code available} backup are removed:
 *       they are left by interrupted backups and would otherwise hold space on the production volume
 *       for ever.</li>
 * </ul>
 * A step that fails is logged and left for the next time; it never fails the caller's backup.
 */
public final class StaleBackupCleaner {

    private static final Logger LOG = LoggerFactory.getLogger(StaleBackupCleaner.class);

    private final BackupCatalog catalog;
    private final Clock clock;
    private final ProcessIdentity process;

    public StaleBackupCleaner(BackupCatalog catalog, Clock clock, ProcessIdentity process) {
        this.catalog = catalog;
        this.clock = clock;
        this.process = process;
    }

    /**
     * Cleans one volume; the caller holds its lease.
     *
     * @param history the volume's history as the caller read it under the lease
     * @return what was done, and the history as the cleaning left it (the caller plans on it)
     */
    public Cleaned clean(BackendSession session, String cluster, VolumeRef volume, List<BackupRecord> history) {
        Map<BackupId, BackupRecord> byId = history.stream().collect(Collectors.toMap(BackupRecord::id, Function.identity()));
        List<BackupRecord> after = new ArrayList<>(history.size());
        List<String> done = new ArrayList<>();
        for (BackupRecord record : history) {
            try {
                if (record.status() == BackupStatus.CREATING) {
                    record = finishInterruptedBackup(session, record, byId, done);
                } else if (record.status() == BackupStatus.DELETING) {
                    record = finishInterruptedDelete(session, record, done);
                }
            } catch (RuntimeException e) {
                LOG.warn("cannot clean up backup {} of {} on cluster {} yet: {}", record.id(), volume, cluster,
                        e.getMessage());
                done.add("could not clean up backup " + record.id() + " yet: " + e.getMessage());
            }
            after.add(record);
        }
        done.addAll(sweepSnapshots(session, volume, after));
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

    private BackupRecord finishInterruptedBackup(BackendSession session, BackupRecord record,
            Map<BackupId, BackupRecord> byId, List<String> done) {
        ServiceMetadata metadata = record.serviceMetadata();
        if (metadata.entries().isEmpty() && record.parent().isPresent() && byId.containsKey(record.parent().get())) {
            metadata = byId.get(record.parent().get()).serviceMetadata();
        }
        DeleteResult result = session.deletions().delete(new DeleteRequest(new BackupRef(record.id(), record.volume(),
                metadata)));
        // Since plugin API 1.1 the source snapshot is the host's to remove: backends no longer sweep them.
        if (record.snapshotName().isPresent()) {
            session.snapshots().remove(new VolumeSnapshot(record.id(), record.volume(), record.snapshotName().get(),
                    record.volumeSizeBytes(), record.startedAt()));
        }
        String reason = "interrupted: the process running it stopped before it finished; cleaned up by "
                + process + (result.removed().isEmpty() ? " (nothing was stored)" : ": removed "
                + String.join(", ", result.removed()));
        BackupRecord failed = record.failed(reason, clock.instant());
        if (!catalog.update(failed, BackupStatus.CREATING)) {
            throw new IllegalStateException("backup " + record.id() + " changed in the catalog meanwhile");
        }
        done.add("backup " + record.id() + " was left creating; " + reason);
        return failed;
    }

    private BackupRecord finishInterruptedDelete(BackendSession session, BackupRecord record, List<String> done) {
        DeleteResult result = session.deletions().delete(new DeleteRequest(record.ref()));
        if (record.snapshotName().isPresent()) {
            session.snapshots().remove(new VolumeSnapshot(record.id(), record.volume(), record.snapshotName().get(),
                    record.volumeSizeBytes(), record.startedAt()));
        }
        BackupRecord deleted = record.withStatus(BackupStatus.DELETED);
        if (!catalog.update(deleted, BackupStatus.DELETING)) {
            throw new IllegalStateException("backup " + record.id() + " changed in the catalog meanwhile");
        }
        done.add("backup " + record.id() + " was left deleting; delete finished"
                + (result.removed().isEmpty() ? "" : ": removed " + String.join(", ", result.removed())));
        return deleted;
    }

    /** Removes backup snapshots of the volume that belong to no available backup. */
    private static List<String> sweepSnapshots(BackendSession session, VolumeRef volume, List<BackupRecord> history) {
        List<String> done = new ArrayList<>();
        List<VolumeSnapshot> snapshots;
        try {
            snapshots = session.snapshots().list(volume);
        } catch (VolumeNotFoundException e) {
            return done; // the volume is gone, and its snapshots with it
        }
        // A corrupt backup keeps its snapshot as an available one does, and an expiring one until it is purged.
        Set<BackupId> available = history.stream()
                .filter(r -> r.status().isStored() || r.status() == BackupStatus.EXPIRING)
                .map(BackupRecord::id)
                .collect(Collectors.toSet());
        for (VolumeSnapshot snapshot : snapshots) {
            if (!available.contains(snapshot.backupId())) {
                try {
                    session.snapshots().remove(snapshot);
                    done.add("removed snapshot " + volume + "@" + snapshot.name() + ", which belongs to no available backup");
                } catch (RuntimeException e) {
                    done.add("could not remove snapshot " + volume + "@" + snapshot.name() + ": " + e.getMessage());
                }
            }
        }
        return done;
    }
}
