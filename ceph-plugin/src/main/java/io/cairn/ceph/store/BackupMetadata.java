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

    /**
     * The object's content: the JSON Jackson writes for this record (fields in declaration order, nulls left
     * out, map entries sorted by key; {@code BackupMetadataJsonTest} holds the two equal), written by hand because
     * a command that makes one backup would otherwise load and set up Jackson - not in the host's class data
     * sharing archive, as the plugin's own copy - for this one object: about 0.1 s of its run.
     */
    byte[] toJson() {
        StringBuilder json = new StringBuilder(256).append("{\"version\":").append(version);
        field(json, "backup_id", backupId);
        field(json, "volume", volume);
        field(json, "snapshot", snapshot);
        json.append(",\"size_bytes\":").append(sizeBytes);
        field(json, "created_at", createdAt);
        map(json, "image_meta", imageMeta);
        map(json, "labels", labels);
        field(json, "kind", kind);
        field(json, "parent", parent);
        field(json, "source_snapshot_id", sourceSnapshotId);
        return json.append('}').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void field(StringBuilder json, String name, String value) {
        if (value != null) {
            json.append(",\"").append(name).append("\":");
            string(json, value);
        }
    }

    private static void map(StringBuilder json, String name, Map<String, String> entries) {
        json.append(",\"").append(name).append("\":{");
        boolean first = true;
        for (Map.Entry<String, String> entry : new java.util.TreeMap<>(entries).entrySet()) {
            json.append(first ? "" : ",");
            first = false;
            string(json, entry.getKey());
            json.append(':');
            string(json, entry.getValue());
        }
        json.append('}');
    }

    /**
     * A JSON string as Jackson escapes it: quote, backslash, control characters, and the halves of a character
     * beyond the Basic Multilingual Plane each as {@code \\uXXXX}; the rest as it is.
     */
    private static void string(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\b' -> json.append("\\b");
                case '\t' -> json.append("\\t");
                case '\n' -> json.append("\\n");
                case '\f' -> json.append("\\f");
                case '\r' -> json.append("\\r");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c)) {
                        json.append(String.format("\\u%04X", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    /** Whether this is Cairn's metadata at all (the reference driver writes Cinder's volume metadata here). */
    @JsonIgnore
    public boolean isCairns() {
        return backupId != null && volume != null && snapshot != null && createdAt != null;
    }
}
