package io.cairn.api.operation;

import io.cairn.api.model.ServiceMetadata;
import java.util.Objects;

/**
 * What a finished transfer stored.
 *
 * @param kind             full or incremental
 * @param metadata         what the backend needs to restore or delete this backup later
 * @param volumeSizeBytes  the size of the volume at the snapshot
 * @param bytesRead        bytes read from the source
 * @param bytesWritten     bytes written to backup storage (zeros skipped or discarded are not counted)
 */
public record TransferResult(
        BackupKind kind, ServiceMetadata metadata, long volumeSizeBytes, long bytesRead, long bytesWritten) {

    public TransferResult {
        Objects.requireNonNull(kind, "kind is null");
        Objects.requireNonNull(metadata, "metadata is null");
    }
}
