package io.cairn.api.operation;

/**
 * Removes stored backups, keeping every other backup restorable.
 */
public interface DeleteOperation {

    /**
     * Deletes one backup. Whatever is already gone counts as deleted, so a delete interrupted by a
     * crash can simply be repeated.
     *
     * @throws io.cairn.api.error.TransientBackendException when storage stayed busy through the
     *         backend's retries; the host may try again later
     */
    DeleteResult delete(DeleteRequest request);
}
