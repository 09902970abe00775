package io.cairn.tck;

import io.cairn.api.model.BackupRef;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.TransferResult;
import java.util.Optional;

/**
 * A backup the kit stored, as the host's catalog would hold it, and the bytes it must restore.
 *
 * @param ref      as the host hands it to restore and delete: metadata, snapshot, journaled resources
 * @param result   what the transfer returned
 * @param content  the volume's content at the snapshot
 */
record StoredBackup(BackupRef ref, TransferResult result, byte[] content) {

    VolumeSnapshot snapshot() {
        return ref.snapshot().orElseThrow();
    }

    /** The same backup as the host knows one that never finished: no metadata, only what was journaled. */
    BackupRef unfinished() {
        return new BackupRef(ref.id(), ref.volume(), ServiceMetadata.EMPTY, ref.snapshot(), ref.resources());
    }

    @Override
    public String toString() {
        return "backup " + ref.id() + " of " + ref.volume() + " (" + result.kind().label() + ")";
    }
}
