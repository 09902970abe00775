package io.cairn.api.operation;

/**
 * Writes a stored backup to a volume or a file.
 */
public interface RestoreOperation {

    /**
     * Restores the backup. A target that does not exist is created with the backup's size. An existing
     * target that holds data is written over only when {@link RestoreRequest#overwrite()} is set.
     * Every check (target size, target contents) happens before the first byte is written.
     *
     * @throws io.cairn.api.error.TargetTooSmallException when the target is smaller than the backup
     * @throws io.cairn.api.error.TargetNotEmptyException when the target holds data and overwrite is off
     * @throws io.cairn.api.error.BackupDataMissingException when the stored backup is gone
     */
    RestoreResult restore(RestoreRequest request);
}
