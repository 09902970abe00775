package io.cairn.api;

import io.cairn.api.operation.ClientFencing;
import io.cairn.api.operation.DeleteOperation;
import io.cairn.api.operation.InventoryOperation;
import io.cairn.api.operation.GroupSnapshotOperation;
import io.cairn.api.operation.RestoreOperation;
import io.cairn.api.operation.SnapshotOperation;
import io.cairn.api.operation.TransferOperation;
import io.cairn.api.operation.VerifyOperation;
import io.cairn.api.operation.VolumeListing;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
     * Snapshots of several volumes at one instant, for backup sets. Offered exactly when the backend
     * declares {@link BackendCapability#CONSISTENT_GROUPS}; the default offers none.
     *
     * @return the operation, or empty when the backend cannot take consistent group snapshots
     * @since 1.1
     */
    default Optional<GroupSnapshotOperation> groupSnapshots() {
        return Optional.empty();
    }

    /**
     * Cuts off clients of a process that died or froze while working on a volume, so that the host can
     * clean up after it at once (see {@link ClientFencing}). Optional; the default offers none, and the
     * host then waits until storage frees what such a client held.
     *
     * @return the fencing of this session, or empty when the backend cannot fence clients
     * @since plugin API 1.1
     */
    default Optional<ClientFencing> fencing() {
        return Optional.empty();
    }

    /**
     * Checks that this session's credentials allow what backups need, the way a backup would use them
     * - reading and snapshotting volumes in {@code namespaces}, writing backup storage - and says what
     * is missing. {@code cairn clusters} calls it, so that a user without the rights a backup needs is
     * reported before the first scheduled backup fails.
     *
     * <p>A check may create and remove scratch objects of its own (a probe that writing works), but it
     * never changes a volume, a snapshot or a stored backup. It ends in bounded time.
     *
     * <p>Optional: the default finds nothing missing, so plugins written for plugin API 1.0 keep working
     * unchanged.
     *
     * @param namespaces the namespaces whose volumes the configured schedules back up - what comes before
     *                   a volume name's last {@code /} ({@link VolumeNaming#namespaceOf}), as
     *                   {@link VolumeListing#list} takes it: for Ceph pools; empty when no schedule names
     *                   this cluster, and then only backup storage is checked
     * @return what is missing, one sentence each, naming the cluster, the namespace (or storage) and the
     *         right, for example {@code user client.cairn may not store backups in backup pool backups on
     *         cluster 'lab'}; empty when everything a backup needs is allowed
     * @throws io.cairn.api.error.UnreachableException when the cluster does not answer in bounded time
     * @since 1.1
     */
    default List<String> checkAccess(Set<String> namespaces) {
        return List.of();
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
