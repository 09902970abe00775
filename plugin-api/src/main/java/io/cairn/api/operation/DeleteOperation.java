package io.cairn.api.operation;

/**
 * Removes stored backups, keeping every other backup restorable.
 */
public interface DeleteOperation {

    /**
     * Deletes one backup's storage. Whatever is already gone counts as deleted, so a delete
     * interrupted by a crash can simply be repeated.
     *
     * <p><b>What may be removed.</b> Only what belongs to this backup: the resources the host recorded
     * for it ({@code request.backup().resources()}), objects the backend addresses by this backup's own
     * id, and - through the backup's own {@link io.cairn.api.model.BackupRef#metadata()} - storage that
     * its chain shares, once no other backup needs it. A recorded resource whose identity no longer
     * matches is someone else's and stays. Nothing is removed because its name matches a pattern, and
     * no legacy name is guessed.
     *
     * <p>The request may describe a backup that never finished (a failed or interrupted transfer): its
     * metadata is then empty and its resources say what may exist. It is never given another backup's
     * metadata. The source snapshot is not the delete's business: the host removes it through
     * {@link SnapshotOperation#remove}.
     *
     * @throws io.cairn.api.error.TransientBackendException when storage stayed busy through the
     *         backend's retries; the host may try again later
     */
    DeleteResult delete(DeleteRequest request);
}
