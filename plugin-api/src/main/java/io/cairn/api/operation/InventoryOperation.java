package io.cairn.api.operation;

import java.util.List;

/**
 * Lists every backup a session's backup storage holds, from what the backend stored there and nothing
 * else, so that the host can rebuild its catalog when it is lost ({@code cairn catalog rebuild}).
 *
 * <p>What a backend must store for this: with each backup, in backup storage, enough to describe it
 * without the catalog - id, volume, kind, parent, creation time, size, labels, the source snapshot's
 * name and identity - and restore points it can find again. For every backup it finds, the inventory
 * returns a {@link FoundBackup}: its description, the service metadata and the resources the host
 * would have recorded had it made the backup (so restore, delete and the next incremental work on it
 * as on any other), and whether its restore point is complete.
 *
 * <p>Backups the backend did not write but can restore (another tool's layout it reads) are listed
 * with their {@link FoundBackup#origin()} set: the host imports them as restorable and never deletes
 * their storage unless an operator adopts them. A source snapshot is returned
 * ({@link FoundBackup#snapshot()}) only when it still exists with the name <em>and</em> the identity
 * the backend recorded for the backup; the host then holds it again as its own.
 *
 * <p>An inventory only reads; calling it twice gives the same answer when storage did not change.
 *
 * <p>Optional: a session offers it through {@link io.cairn.api.BackendSession#inventory()}.
 *
 * @since plugin API 1.1
 */
public interface InventoryOperation {

    /**
     * Every backup found in backup storage, oldest first (by creation time, then id), and notes on what
     * was found but is no backup the host can record (another tool's objects it cannot restore from,
     * leftovers it cannot attribute).
     *
     * @throws io.cairn.api.error.UnreachableException when the cluster does not answer in bounded time
     */
    Inventory list();

    /**
     * What an inventory found.
     *
     * @param backups every backup, oldest first
     * @param notes   what the operator should know about the rest of backup storage
     */
    record Inventory(List<FoundBackup> backups, List<String> notes) {

        public Inventory {
            backups = List.copyOf(java.util.Objects.requireNonNull(backups, "backups is null"));
            notes = List.copyOf(java.util.Objects.requireNonNull(notes, "notes is null"));
        }
    }
}
