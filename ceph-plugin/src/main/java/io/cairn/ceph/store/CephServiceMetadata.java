package io.cairn.ceph.store;

import io.cairn.api.model.ServiceMetadata;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The service metadata a Ceph backup keeps in the host's catalog: where it is stored and which exact
 * objects it was made from, so that later operations can tell the recorded objects from others of
 * the same name.
 *
 * <p>Every backup of a chain carries its base image's id, so the last delete of a chain can check
 * that the image it is about to remove is the one the chain was stored in. Backups stored before
 * these keys existed carry only {@code base}; the other entries are then empty.
 *
 * @param base             the base image in the backup pool ({@code base}, as the reference driver
 *                         writes it)
 * @param baseId           the base image's rbd image id ({@code base_id})
 * @param sourceSnapshot   the source snapshot the backup was taken from ({@code source_snapshot})
 * @param sourceSnapshotId its rbd snapshot id ({@code source_snapshot_id}); empty for files
 * @param restorePoint     the backup's snapshot on the base image ({@code restore_point}), when it is not
 *                         named like the source snapshot: a backup of an existing snapshot that is not
 *                         Cairn's ({@code volumes/db1@nightly}) gets a restore point of Cairn's naming
 */
public record CephServiceMetadata(Optional<String> base, Optional<String> baseId, Optional<String> sourceSnapshot,
        Optional<String> sourceSnapshotId, Optional<String> restorePoint) {

    public static final String BASE = "base";
    private static final String BASE_ID = "base_id";
    private static final String SOURCE_SNAPSHOT = "source_snapshot";
    private static final String SOURCE_SNAPSHOT_ID = "source_snapshot_id";
    private static final String RESTORE_POINT = "restore_point";

    public static CephServiceMetadata of(ServiceMetadata metadata) {
        return new CephServiceMetadata(nonEmpty(metadata, BASE), nonEmpty(metadata, BASE_ID),
                nonEmpty(metadata, SOURCE_SNAPSHOT), nonEmpty(metadata, SOURCE_SNAPSHOT_ID), nonEmpty(metadata, RESTORE_POINT));
    }

    public static CephServiceMetadata stored(String base, String baseId, String sourceSnapshot, String sourceSnapshotId,
            String restorePoint) {
        return new CephServiceMetadata(Optional.of(base), Optional.of(baseId), Optional.of(sourceSnapshot),
                Optional.of(sourceSnapshotId).filter(id -> !id.isEmpty()),
                Optional.of(restorePoint).filter(name -> !name.equals(sourceSnapshot)));
    }

    /** The backup's snapshot on its base image, as far as recorded. */
    public Optional<String> restorePointName() {
        return restorePoint.or(this::sourceSnapshot);
    }

    public ServiceMetadata toServiceMetadata() {
        Map<String, String> entries = new LinkedHashMap<>();
        base.ifPresent(value -> entries.put(BASE, value));
        baseId.ifPresent(value -> entries.put(BASE_ID, value));
        sourceSnapshot.ifPresent(value -> entries.put(SOURCE_SNAPSHOT, value));
        sourceSnapshotId.ifPresent(value -> entries.put(SOURCE_SNAPSHOT_ID, value));
        restorePoint.ifPresent(value -> entries.put(RESTORE_POINT, value));
        return new ServiceMetadata(entries);
    }

    private static Optional<String> nonEmpty(ServiceMetadata metadata, String key) {
        return metadata.get(key).filter(value -> !value.isBlank());
    }
}
