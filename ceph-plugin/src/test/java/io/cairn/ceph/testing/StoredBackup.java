package io.cairn.ceph.testing;

import io.cairn.api.model.BackupRef;
import io.cairn.api.operation.TransferResult;

/**
 * A backup a test made, with the checksum of the source snapshot it was taken from (read by the rbd
 * CLI at backup time): a restore of it is correct only if it has the same checksum.
 */
public record StoredBackup(BackupRef ref, String snapshot, long sizeBytes, String sha256, TransferResult result) {
}
