package io.cairn.host.backup;

import io.cairn.api.BackendSession;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.SnapshotJournal;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.SourceSnapshot;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of source snapshots' lives: the only code that asks a backend to take or remove one.
 *
 * <ul>
 *   <li>A snapshot is recorded in the catalog by the name it will have, held, before the backend takes it
 *       (for backends of plugin API 1.2 and later, which announce the name), and again with its identity as soon
 *       as the backend returns it: a backup killed in between leaves a record its clean-up removes it by.</li>
 *   <li>The newest stored backup of a volume keeps its snapshot, for the next incremental; once a newer
 *       backup of the volume is stored through the same cluster file, the older one's is removed.</li>
 *   <li>A failed, interrupted or deleted backup's snapshot is removed.</li>
 *   <li>Only recorded snapshots are removed, each by name and identity ({@code SnapshotOperation.remove});
 *       snapshots are never listed or removed by name pattern. A snapshot named like a backup snapshot
 *       that the catalog does not record - the reference driver's, another cluster file's over the same
 *       volume, an operator's - is never touched.</li>
 * </ul>
 */
public final class SourceSnapshots {

    private static final Logger LOG = LoggerFactory.getLogger(SourceSnapshots.class);

    private final BackupCatalog catalog;
    private final Clock clock;

    public SourceSnapshots(BackupCatalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    /**
     * Takes the backup's snapshot and records it, held, before returning. The name the backend announces is
     * recorded before the snapshot is taken: record first, create second, so that whenever the process dies
     * the catalog names the snapshot it may have left.
     *
     * @return the record with its snapshot
     */
    BackupRecord take(BackendSession session, BackupRecord record) {
        SnapshotJournal journal = name -> catalog.recordSnapshot(record.id(),
                SourceSnapshot.intended(name, clock.instant()));
        VolumeSnapshot snapshot = session.snapshots().create(new SnapshotRequest(record.id(), record.volume()),
                journal);
        SourceSnapshot taken = SourceSnapshot.taken(snapshot);
        catalog.recordSnapshot(record.id(), taken);
        return record.withSnapshot(taken);
    }

    /**
     * Finds an existing snapshot of the volume that is not Cairn's, and records it as the backup's source
     * snapshot, external: an incremental may diff from it while it is there, and it is never removed.
     *
     * @throws io.cairn.api.error.VolumeNotFoundException when the volume or the snapshot does not exist
     * @throws io.cairn.api.error.BackendException when the backend cannot back up existing snapshots
     */
    BackupRecord adopt(BackendSession session, BackupRecord record, String name, String backend) {
        VolumeSnapshot snapshot = session.snapshots().existing(record.id(), record.volume(), name)
                .orElseThrow(() -> new io.cairn.api.error.BackendException("backend '" + backend + "' cannot back up"
                        + " existing snapshots (" + record.volume() + "@" + name + "); it backs up snapshots it takes"
                        + " itself"));
        SourceSnapshot external = SourceSnapshot.external(snapshot);
        catalog.recordSnapshot(record.id(), external);
        return record.withSnapshot(external);
    }

    /**
     * Removes the backup's own snapshot if the host holds it, and records it removed.
     *
     * @return what was removed, for the operator; empty when nothing was held
     * @throws RuntimeException when the backend could not remove it; it stays recorded as held, and is
     *         tried again by the next clean-up of the volume
     */
    Optional<String> removeOwn(BackendSession session, BackupRecord record) {
        if (!record.holdsSnapshot()) {
            return Optional.empty();
        }
        SourceSnapshot snapshot = record.snapshot().orElseThrow();
        session.snapshots().remove(snapshot.toVolumeSnapshot(record.id(), record.volume()));
        catalog.snapshotRemoved(record.id());
        return Optional.of("snapshot " + record.volume() + "@" + snapshot.name());
    }

    /**
     * After {@code newest} was stored: removes the held snapshots of every other backup of its volume
     * recorded through the same cluster file. Snapshots of another cluster file over the same volume are
     * that file's and stay.
     *
     * @return one line per snapshot removed or left, for the operator; a failure is a note, never an error
     *         (the backup is stored; the snapshot stays held and is removed after the next backup)
     */
    List<String> removeOlder(BackendSession session, BackupRecord newest) {
        return removeOlder(session, newest, catalog.history(newest.cluster(), newest.volume()));
    }

    /**
     * As {@link #removeOlder(BackendSession, BackupRecord)}, over the volume's history as the caller read it under
     * the volume's lease, which it still holds: no other operation changed what those backups hold since, so the
     * catalog is not read again.
     */
    List<String> removeOlder(BackendSession session, BackupRecord newest, List<BackupRecord> history) {
        List<String> notes = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (BackupRecord older : history) {
            if (older.id().equals(newest.id()) || !older.holdsSnapshot()) {
                continue;
            }
            try {
                removeOwn(session, older).ifPresent(line -> removed.add(older.snapshotName().orElseThrow()));
            } catch (RuntimeException e) {
                LOG.warn("backup {}: cannot remove snapshot {} of older backup {} of {}: {}", newest.id(),
                        older.snapshotName().orElseThrow(), older.id(), newest.volume(), e.getMessage());
                notes.add("could not remove snapshot " + newest.volume() + "@" + older.snapshotName().orElseThrow()
                        + " of older backup " + older.id() + " (tried again after the next backup): " + e.getMessage());
            }
        }
        if (!removed.isEmpty()) {
            notes.add(0, "removed the snapshot" + (removed.size() == 1 ? "" : "s") + " of older backups from "
                    + newest.volume() + ": " + String.join(", ", removed));
        }
        return notes;
    }
}
