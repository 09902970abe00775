package io.cairn.host.backup;

import io.cairn.api.BackendSession;
import io.cairn.api.model.StoredResource;
import io.cairn.api.operation.DeleteRequest;
import io.cairn.api.operation.DeleteResult;
import io.cairn.host.catalog.BackupCatalog;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.BackupStatus;
import io.cairn.host.catalog.RecordedResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Removes what one backup owns, by its own records: the storage objects recorded for it (through the
 * backend's delete, handed the backup's own id, own metadata and own recorded resources - never another
 * backup's) and its source snapshot while the host holds it. Used for every removal: a delete, a prune,
 * the clean-up after a failed or interrupted backup, an interrupted delete.
 *
 * <p>A backup that failed with nothing recorded (a backend of plugin API 1.0 removes what a failed
 * transfer wrote itself; one of 1.1 records before it creates) needs no backend delete. Every other
 * backup does: a delete repeated after a crash finds what is gone already gone.
 */
public final class OwnedStorage {

    private final BackupCatalog catalog;
    private final SourceSnapshots snapshots;

    public OwnedStorage(BackupCatalog catalog, SourceSnapshots snapshots) {
        this.catalog = catalog;
        this.snapshots = snapshots;
    }

    /**
     * What a removal did.
     *
     * @param removed one line per object removed
     * @param notes   what else the backend said (an object kept for other backups, one already gone)
     */
    public record Removal(List<String> removed, List<String> notes) {
        public Removal {
            removed = List.copyOf(Objects.requireNonNull(removed, "removed is null"));
            notes = List.copyOf(Objects.requireNonNull(notes, "notes is null"));
        }
    }

    /**
     * Removes what the backup owns and records it removed. The caller holds the volume's lease.
     *
     * @throws RuntimeException when the backend failed; what was not removed stays recorded as held, so
     *         the removal can simply be repeated
     */
    Removal remove(BackendSession session, BackupRecord record) {
        List<String> removed = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<StoredResource> held = heldResources(record);
        if (record.status() != BackupStatus.ERROR || !held.isEmpty()) {
            DeleteResult result = session.deletions().delete(new DeleteRequest(record.ref(held)));
            catalog.resourcesRemoved(record.id());
            removed.addAll(result.removed());
            notes.addAll(result.notes());
        }
        snapshots.removeOwn(session, record).ifPresent(removed::add);
        return new Removal(removed, notes);
    }

    /** Whether the backup still owns anything: a held snapshot or a held resource. */
    boolean holdsAnything(BackupRecord record) {
        return record.holdsSnapshot() || !heldResources(record).isEmpty();
    }

    /**
     * What the backup still owns, by name: for the operator when it cannot be removed now
     * ({@code "snapshot volumes/db1@backup.x.snap.1, base-image backups/db1.backup.x"}).
     */
    String describeHeld(BackupRecord record) {
        List<String> names = new ArrayList<>();
        if (record.holdsSnapshot()) {
            names.add("snapshot " + record.volume() + "@" + record.snapshotName().orElseThrow());
        }
        heldResources(record).forEach(resource -> names.add(resource.kind() + " " + resource.name()));
        return names.isEmpty() ? "nothing recorded" : String.join(", ", names);
    }

    private List<StoredResource> heldResources(BackupRecord record) {
        return catalog.resources(record.id()).stream().filter(RecordedResource::isHeld)
                .map(RecordedResource::resource).toList();
    }
}
