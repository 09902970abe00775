package io.cairn.host.view;

import io.cairn.api.model.BackupId;
import io.cairn.host.catalog.BackupRecord;
import java.time.Instant;
import java.util.Map;

/**
 * One backup as printed by {@code --json} (field names in snake case: {@code size_bytes},
 * {@code created_at}). The stable, documented shape scripts and monitoring read; the catalog's
 * record can change without breaking them.
 *
 * @param id               the backup id
 * @param cluster          the cluster name
 * @param volume           the volume as the backend names it, or {@code file:/PATH}
 * @param kind             {@code full} or {@code incremental}
 * @param parent           the parent backup's id, or null
 * @param chain            the id of the full backup its chain starts with
 * @param status           {@code creating}, {@code available}, {@code error}, {@code deleting}, {@code deleted}
 * @param snapshot         the snapshot taken of the source for this backup, or null before it was taken
 * @param sizeBytes        the volume's size at the snapshot
 * @param bytesTransferred bytes read from the source
 * @param bytesWritten     bytes written to backup storage
 * @param createdAt        when the backup started
 * @param finishedAt       when it finished, or null
 * @param labels           operator labels
 * @param reason           why it is full or incremental
 * @param error            why it failed, or null
 * @param serviceMetadata  what the backend stored to find it again
 */
public record BackupView(
        String id,
        String cluster,
        String volume,
        String kind,
        String parent,
        String chain,
        String status,
        String snapshot,
        long sizeBytes,
        long bytesTransferred,
        long bytesWritten,
        Instant createdAt,
        Instant finishedAt,
        Map<String, String> labels,
        String reason,
        String error,
        Map<String, String> serviceMetadata) {

    public static BackupView of(BackupRecord record) {
        return new BackupView(record.id().value(), record.cluster(), record.volume().locator(), record.kind().label(),
                record.parent().map(BackupId::value).orElse(null), record.chain().value(), record.status().label(),
                record.snapshotName().orElse(null), record.volumeSizeBytes(), record.bytesTransferred(),
                record.bytesWritten(), record.startedAt(),
                record.finishedAt().orElse(null), record.labels(), record.planReason(), record.errorReason().orElse(null),
                record.serviceMetadata().entries());
    }
}
