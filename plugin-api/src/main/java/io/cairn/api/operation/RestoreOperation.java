package io.cairn.api.operation;

/**
 * Writes a stored backup to a volume or a file.
 */
public interface RestoreOperation {

    /**
     * Restores the backup. A target that does not exist is created with the backup's size. Every check
     * happens before the first byte is written:
     * <ul>
     *   <li>a target that is part of the backend's own backup storage is always refused
     *       ({@link io.cairn.api.error.TargetRefusedException});</li>
     *   <li>an existing target that holds data, or is in use by a client, is written over only when
     *       {@link RestoreRequest#overwrite()} is set; the backend then holds the target exclusively
     *       for the whole restore, so that a live client's writes fail rather than interleave;</li>
     *   <li>a target smaller than the backup is refused.</li>
     * </ul>
     * A restore that dies half-way leaves the target marked as incomplete (where the backend can mark
     * it) until a restore into it finishes.
     *
     * @throws io.cairn.api.error.TargetRefusedException when the target is backup storage
     * @throws io.cairn.api.error.TargetInUseException when the target is in use and overwrite is off
     * @throws io.cairn.api.error.TargetTooSmallException when the target is smaller than the backup
     * @throws io.cairn.api.error.TargetNotEmptyException when the target holds data and overwrite is off
     * @throws io.cairn.api.error.BackupDataMissingException when the stored backup is gone
     */
    RestoreResult restore(RestoreRequest request);
}
