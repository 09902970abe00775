package io.cairn.api.operation;

/**
 * Proves that a stored backup still restores what was backed up: re-reads its restore point from
 * backup storage and compares it with what the backend recorded while the backup was written.
 *
 * <p><b>What a backend records.</b> While a transfer writes a backup, a backend that offers this
 * operation records digests of the restore point (for Ceph: the SHA-256 of every 4 MiB object extent
 * of the image at the backup's snapshot) in backup storage beside the backup, journaled like every
 * other object it creates ({@link ResourceJournal}). Verifying therefore never depends on the source
 * volume or its snapshot still existing.
 *
 * <p><b>What a verify does.</b> It reads the restore point as a restore would read it, computes the
 * same digests, and reports every byte range whose digest differs, or that could not be read, as
 * damaged. With {@link VerifyRequest#compareSource()} it also reads the backup's source snapshot
 * ({@link io.cairn.api.model.BackupRef#snapshot()}, by name and identity) where it still exists, and
 * reports the ranges where the source differs from the recorded digests (the backup stored something
 * else than the source held). With a {@link VerifyRequest#samplePercent()} below 100 it checks a
 * random part of the restore point, chosen afresh on every call, so that repeated samples cover it all
 * over time.
 *
 * <p><b>Result, not exception.</b> Damage is a result ({@link VerifyResult.Verdict#CORRUPT}), also
 * when the restore point is gone altogether; so is a backup with nothing recorded to compare with
 * ({@link VerifyResult.Verdict#UNVERIFIABLE}, a backup stored before the backend recorded digests).
 * The operation throws only when it could not check: an unreachable cluster
 * ({@link io.cairn.api.error.UnreachableException}), storage that stayed busy
 * ({@link io.cairn.api.error.TransientBackendException}). A verify reads only; it never changes backup
 * storage or the source.
 *
 * <p>Optional: a session offers it through {@link io.cairn.api.BackendSession#verification()}; the
 * default offers none, and the host then says that the backend cannot verify.
 *
 * @since plugin API 1.1
 */
public interface VerifyOperation {

    /**
     * Verifies one backup.
     *
     * @throws io.cairn.api.error.UnreachableException when the cluster does not answer in bounded time
     * @throws io.cairn.api.error.TransientBackendException when storage stayed busy; try again later
     */
    VerifyResult verify(VerifyRequest request);
}
