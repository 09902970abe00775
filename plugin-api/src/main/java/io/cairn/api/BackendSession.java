package io.cairn.api;

import io.cairn.api.operation.DeleteOperation;
import io.cairn.api.operation.InventoryOperation;
import io.cairn.api.operation.RestoreOperation;
import io.cairn.api.operation.SnapshotOperation;
import io.cairn.api.operation.TransferOperation;
import io.cairn.api.operation.VerifyOperation;
import io.cairn.api.operation.VolumeListing;
import java.util.Optional;

/**
 * An open connection to one cluster, handing out one object per verb.
 *
 * <p>A session is thread-safe: the host may run backups of different volumes through one session at
 * the same time. The host never runs two operations on the same volume at once.
 */
public interface BackendSession extends AutoCloseable {

    /** Takes, lists and removes the point-in-time snapshots backups are made from. */
    SnapshotOperation snapshots();

    /** Copies a snapshot's data into backup storage. */
    TransferOperation transfers();

    /** Writes a stored backup back to a volume or file. */
    RestoreOperation restores();

    /** Removes stored backups. */
    DeleteOperation deletions();

    /**
     * Lists the volumes of a pool, for schedules that select volumes by pattern. Optional; the default
     * offers none, so plugins written before this method existed keep working unchanged.
     *
     * @return the listing, or empty when the backend cannot list volumes
     */
    default Optional<VolumeListing> volumeListing() {
        return Optional.empty();
    }

    /**
     * Re-reads stored backups and compares them with what was recorded while they were written.
     * Optional; the default offers none.
     *
     * @return the operation, or empty when the backend cannot verify backups
     * @since plugin API 1.1
     */
    default Optional<VerifyOperation> verification() {
        return Optional.empty();
    }

    /**
     * Lists every backup in backup storage, for rebuilding the host's catalog. Optional; the default
     * offers none.
     *
     * @return the operation, or empty when the backend cannot list what it stored
     * @since plugin API 1.1
     */
    default Optional<InventoryOperation> inventory() {
        return Optional.empty();
    }

    /**
     * One line that tells an operator what this session is connected to (cluster id, pools), without
     * secrets.
     */
    String describe();

    /** Releases connections; idempotent. */
    @Override
    void close();
}
