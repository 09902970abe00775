package io.cairn.api.operation;

/**
 * Copies a snapshot's data into backup storage: everything for a full backup, or only what changed
 * since the parent for an incremental one.
 */
public interface TransferOperation {

    /**
     * Stores the backup. When it returns, the backup is complete and restorable.
     *
     * <p>On any failure the backend removes what this transfer created (storage objects and the
     * request's snapshot) before it throws, so nothing is left half-written.
     *
     * @throws io.cairn.api.error.ChainBrokenException when the parent's restore point (or the
     *         snapshot to diff from) is gone; the host then starts a new full chain
     * @throws io.cairn.api.error.VolumeNotFoundException when the source volume vanished
     */
    TransferResult transfer(TransferRequest request);
}
