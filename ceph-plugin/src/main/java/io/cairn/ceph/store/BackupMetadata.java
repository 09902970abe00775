package io.cairn.ceph.store;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * What {@code backup.<id>.meta} holds: enough to put a volume's metadata and the backup's labels back
 * onto a restored image, to tell by hand what a base image snapshot is, and - since version 2 - to
 * describe the backup without the host's catalog ({@code cairn catalog rebuild}).
 *
 * @param version          format version: 1, or 2 with kind, parent and the source snapshot's id
 * @param backupId         the backup
 * @param volume           the source volume as the operator named it
 * @param snapshot         the backup snapshot's name (on the source and on the base)
 * @param sizeBytes        the volume's size at the snapshot
 * @param createdAt        when the snapshot was taken (ISO-8601)
 * @param imageMeta        the source image's metadata ({@code rbd image-meta}), empty for files
 * @param labels           the backup's labels
 * @param kind             {@code full} or {@code incremental} (version 2; null before)
 * @param parent           the id of the backup an incremental was diffed from (version 2)
 * @param sourceSnapshotId the rbd snapshot id of the source snapshot, empty for files (version 2): a
 *                         rebuilt catalog holds that snapshot again only when its id still matches
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupMetadata(
        @JsonProperty("version") int version,
        @JsonProperty("backup_id") String backupId,
        @JsonProperty("volume") String volume,
        @JsonProperty("snapshot") String snapshot,
        @JsonProperty("size_bytes") long sizeBytes,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("image_meta") Map<String, String> imageMeta,
        @JsonProperty("labels") Map<String, String> labels,
        @JsonProperty("kind") String kind,
        @JsonProperty("parent") String parent,
        @JsonProperty("source_snapshot_id") String sourceSnapshotId) {

    public static final int CURRENT_VERSION = 2;

    /** Prefix under which labels come back as image metadata of a restored image. */
    public static final String LABEL_PREFIX = "cairn.label.";

    public BackupMetadata {
        imageMeta = imageMeta == null ? Map.of() : Map.copyOf(imageMeta);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** Whether this is Cairn's metadata at all (the reference driver writes Cinder's volume metadata here). */
    @JsonIgnore
    public boolean isCairns() {
        return backupId != null && volume != null && snapshot != null && createdAt != null;
    }
}
