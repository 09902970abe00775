package io.cairn.api.operation;

/**
 * Copies a snapshot's data into backup storage: everything for a full backup, or only what changed
 * since the parent for an incremental one.
 */
public interface TransferOperation {

    /**
     * Stores the backup. When it returns, the backup is complete and restorable.
     *
     * <p>Before creating any storage object the backend records it in {@link TransferRequest#journal()},
     * and records it again with its identity once created. On failure the backend removes what this
     * transfer created, best effort, before it throws; what it could not remove stays recorded, and the
     * host asks for its removal later through {@link DeleteOperation}. The source snapshot is the
     * host's: the backend does not remove it, on success or failure.
     *
     * <p>An incremental diffs from the parent's snapshot exactly as recorded
     * ({@code request.parent().snapshot()}, name and identity). When that snapshot is gone, or a
     * snapshot of its name has another identity, or the parent's restore point is gone, the backend
     * throws {@link io.cairn.api.error.ChainBrokenException} naming which, before it writes anything; the
     * host then records the reason and asks again for a full backup of the same snapshot.
     *
     * @throws io.cairn.api.error.ChainBrokenException when the parent cannot be diffed from (see above)
     * @throws io.cairn.api.error.VolumeNotFoundException when the source volume vanished
     */
    TransferResult transfer(TransferRequest request);
}
