package io.cairn.host.view;

import io.cairn.api.model.BackupId;
import io.cairn.host.catalog.BackupRecord;
import io.cairn.host.catalog.RecordedResource;
import io.cairn.host.catalog.RestoreRecord;
import io.cairn.host.catalog.SourceSnapshot;
import java.time.Instant;
import java.util.List;
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
 * @param snapshotIdentity the backend's identity of that snapshot (for Ceph its snapshot id), or null
 * @param snapshotState    {@code held} while Cairn keeps it on the source, {@code removed} after, or null
 * @param sizeBytes        the volume's size at the snapshot
 * @param bytesTransferred bytes read from the source
 * @param bytesWritten     bytes written to backup storage
 * @param createdAt        when the backup started
 * @param finishedAt       when it finished, or null
 * @param labels           operator labels
 * @param reason           why it is full or incremental
 * @param error            why it failed, or null
 * @param serviceMetadata  what the backend stored to find it again
 * @param resources        what the backend recorded creating for it, in order ({@code show}, {@code backup},
 *                         {@code delete}); null in {@code list}
 * @param restores         its restores, oldest first ({@code show}); null elsewhere
 * @param set              the backup set it is a member of (volumes backed up together), or null
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
        String snapshotIdentity,
        String snapshotState,
        long sizeBytes,
        long bytesTransferred,
        long bytesWritten,
        Instant createdAt,
        Instant finishedAt,
        Map<String, String> labels,
        String reason,
        String error,
        Map<String, String> serviceMetadata,
        List<ResourceView> resources,
        List<RestoreView> restores,
        String set) {

    /** A backup as {@code list} shows it: without resources and restores. */
    public static BackupView of(BackupRecord record) {
        return of(record, null, null);
    }

    /** A backup with what it owns (and, when given, its restores). */
    public static BackupView of(BackupRecord record, List<RecordedResource> resources, List<RestoreRecord> restores) {
        return new BackupView(record.id().value(), record.cluster(), record.volume().locator(), record.kind().label(),
                record.parent().map(BackupId::value).orElse(null), record.chain().value(), record.status().label(),
                record.snapshotName().orElse(null), record.snapshot().map(SourceSnapshot::identity).orElse(null),
                record.snapshot().map(s -> s.state().label()).orElse(null), record.volumeSizeBytes(),
                record.bytesTransferred(), record.bytesWritten(), record.startedAt(),
                record.finishedAt().orElse(null), record.labels(), record.planReason(), record.errorReason().orElse(null),
                record.serviceMetadata().entries(),
                resources == null ? null : resources.stream().map(ResourceView::of).toList(),
                restores == null ? null : restores.stream().map(RestoreView::of).toList(), null);
    }

    /** The same view, naming the backup set the backup is a member of. */
    public BackupView inSet(String setId) {
        return new BackupView(id, cluster, volume, kind, parent, chain, status, snapshot, snapshotIdentity,
                snapshotState, sizeBytes, bytesTransferred, bytesWritten, createdAt, finishedAt, labels, reason, error,
                serviceMetadata, resources, restores, setId);
    }

    /**
     * One storage object the backend recorded creating for the backup.
     *
     * @param kind     the backend's word ({@code base-image}, {@code base-snapshot}, {@code metadata-object})
     * @param name     where it is
     * @param identity the backend's identity of it, or {@code ""} if it was only about to be created
     * @param state    {@code held} (the backup's), or {@code removed} (its delete finished)
     */
    public record ResourceView(String kind, String name, String identity, String state) {
        static ResourceView of(RecordedResource recorded) {
            return new ResourceView(recorded.resource().kind(), recorded.resource().name(),
                    recorded.resource().identity(), recorded.state().label());
        }
    }

    /**
     * One restore of the backup.
     *
     * @param id           the restore's id
     * @param target       where it was restored to
     * @param status       {@code running}, {@code finished}, {@code failed}, {@code interrupted}
     * @param startedAt    when it started
     * @param finishedAt   when it ended, or null
     * @param bytesWritten bytes written to the target
     * @param error        why it failed or was interrupted, or null
     */
    public record RestoreView(String id, String target, String status, Instant startedAt, Instant finishedAt,
            long bytesWritten, String error) {
        static RestoreView of(RestoreRecord restore) {
            return new RestoreView(restore.id(), restore.target().locator(), restore.status().label(),
                    restore.startedAt(), restore.finishedAt().orElse(null), restore.bytesWritten(),
                    restore.errorReason().orElse(null));
        }
    }
}
