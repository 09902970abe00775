package io.cairn.ceph.ops;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * What {@code backup.<id>.meta} holds: enough to put a volume's metadata and the backup's labels back
 * onto a restored image, and to tell by hand what a base image snapshot is.
 *
 * @param version   format version, 1
 * @param backupId  the backup
 * @param volume    the source volume as the operator named it
 * @param snapshot  the backup snapshot's name (on the source and on the base)
 * @param sizeBytes the volume's size at the snapshot
 * @param createdAt when the snapshot was taken (ISO-8601)
 * @param imageMeta the source image's metadata ({@code rbd image-meta}), empty for files
 * @param labels    the backup's labels
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupMetadata(
        @JsonProperty("version") int version,
        @JsonProperty("backup_id") String backupId,
        @JsonProperty("volume") String volume,
        @JsonProperty("snapshot") String snapshot,
        @JsonProperty("size_bytes") long sizeBytes,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("image_meta") Map<String, String> imageMeta,
        @JsonProperty("labels") Map<String, String> labels) {

    public static final int CURRENT_VERSION = 1;

    /** Prefix under which labels come back as image metadata of a restored image. */
    public static final String LABEL_PREFIX = "cairn.label.";

    public BackupMetadata {
        imageMeta = imageMeta == null ? Map.of() : Map.copyOf(imageMeta);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
