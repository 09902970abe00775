package io.cairn.ceph.store;

import io.cairn.api.model.BackupId;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names on the clusters, as the OpenStack Cinder Ceph backup driver writes them, so a backup pool
 * written by either can be read by the other:
 * <ul>
 *   <li>base image of a chain: {@code <volume>.backup.<idOfTheFullBackup>} (Cinder's volume name is
 *       {@code volume-<uuid>}, so its bases are {@code volume-<uuid>.backup.<id>});</li>
 *   <li>old-style base image: {@code <volume>.backup.base} (recognised, never guessed);</li>
 *   <li>backup snapshot, on the source and on the base: {@code backup.<id>.snap.<unix time>};</li>
 *   <li>metadata object in the backup pool: {@code backup.<id>.meta};</li>
 *   <li>digests of the restore point, beside it (Cairn's own): {@code backup.<id>.digests}.</li>
 * </ul>
 */
public final class BackupNames {

    /** Cinder's pattern: group 1 is the backup id, group 2 the timestamp. */
    public static final Pattern SNAPSHOT_PATTERN = Pattern.compile("^backup\\.([a-z0-9\\-]+?)\\.snap\\.(.+)$");

    private static final Pattern BASE_IMAGE_PATTERN = Pattern.compile("^.+\\.backup\\.[a-z0-9][a-z0-9-]{0,63}$");

    private BackupNames() {
    }

    /** The base image that holds a chain started by full backup {@code chainStart} of {@code volumeName}. */
    public static String baseImage(String volumeName, BackupId chainStart) {
        return volumeName + ".backup." + chainStart.value();
    }

    /**
     * Whether an image name has the shape of a base image, Cairn's ({@code <volume>.backup.<id>}) or
     * the reference driver's ({@code <volume>.backup.base}). Only used to refuse such images as restore
     * targets; nothing is ever removed because of its name.
     */
    public static boolean looksLikeBaseImage(String imageName) {
        return BASE_IMAGE_PATTERN.matcher(imageName).matches();
    }

    /** A new backup snapshot name, with the time as Cinder writes it (seconds and a fraction). */
    public static String snapshot(BackupId backupId, Instant at) {
        return String.format("backup.%s.snap.%d.%06d", backupId.value(), at.getEpochSecond(), at.getNano() / 1000);
    }

    /** The metadata object of a backup. */
    public static String metadataObject(BackupId backupId) {
        return "backup." + backupId.value() + ".meta";
    }

    /** The digests object of a backup: the SHA-256 of every chunk of its restore point. */
    public static String digestObject(BackupId backupId) {
        return "backup." + backupId.value() + ".digests";
    }

    /** The backup id in a backup snapshot's name, or empty when the name is not a backup snapshot's. */
    public static Optional<String> backupIdOfSnapshot(String snapshotName) {
        Matcher m = SNAPSHOT_PATTERN.matcher(snapshotName);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Whether {@code snapshotName} is the backup snapshot of {@code backupId}. */
    public static boolean isSnapshotOf(String snapshotName, BackupId backupId) {
        return backupIdOfSnapshot(snapshotName).filter(backupId.value()::equals).isPresent();
    }

    /**
     * The name a file or block device gets as a "volume" in base image names: its path without the
     * leading slash, with {@code /} and {@code @} (not allowed in image names) replaced by {@code _}.
     * {@code /srv/disk.img} gives {@code file_srv_disk.img}.
     */
    public static String fileVolumeName(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return "file_" + trimmed.replace('/', '_').replace('@', '_');
    }
}
