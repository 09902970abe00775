package io.cairn.ceph.store;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.StoredResource;
import java.util.Optional;

/**
 * The storage objects of a Ceph backup as the host's journal records them ({@link StoredResource}):
 * <ul>
 *   <li>{@code base-image}, {@code <pool>/<image>}, identity the rbd image id - created by a full
 *       backup;</li>
 *   <li>{@code base-snapshot}, {@code <pool>/<image>@<snapshot>}, identity the rbd snapshot id - the
 *       backup's restore point on its base image;</li>
 *   <li>{@code metadata-object}, {@code <pool>/backup.<id>.meta}, identity the start of its SHA-256;</li>
 *   <li>{@code digest-object}, {@code <pool>/backup.<id>.digests}, identity the start of its trailing
 *       checksum - the digests of the restore point, which verify compares it with.</li>
 * </ul>
 */
public final class CephResources {

    public static final String BASE_IMAGE = "base-image";
    public static final String BASE_SNAPSHOT = "base-snapshot";
    public static final String METADATA_OBJECT = "metadata-object";
    public static final String DIGEST_OBJECT = "digest-object";

    private CephResources() {
    }

    public static StoredResource baseImage(String pool, String image) {
        return StoredResource.intended(BASE_IMAGE, pool + "/" + image);
    }

    public static StoredResource baseSnapshot(String pool, String image, String snapshot) {
        return StoredResource.intended(BASE_SNAPSHOT, pool + "/" + image + "@" + snapshot);
    }

    public static StoredResource metadataObject(String pool, BackupId backupId) {
        return StoredResource.intended(METADATA_OBJECT, pool + "/" + BackupNames.metadataObject(backupId));
    }

    public static StoredResource digestObject(String pool, BackupId backupId) {
        return StoredResource.intended(DIGEST_OBJECT, pool + "/" + BackupNames.digestObject(backupId));
    }

    /**
     * The image a base-image or base-snapshot resource names, when it lies in {@code pool}; empty for
     * another pool (storage of another configuration, not this session's to touch).
     */
    public static Optional<String> imageIn(String pool, StoredResource resource) {
        String prefix = pool + "/";
        if (!resource.name().startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = resource.name().substring(prefix.length());
        int at = rest.indexOf('@');
        String image = at < 0 ? rest : rest.substring(0, at);
        return image.isEmpty() || image.contains("/") ? Optional.empty() : Optional.of(image);
    }
}
