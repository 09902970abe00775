package io.cairn.ceph.ops;

import io.cairn.api.error.TargetInUseException;
import io.cairn.api.error.TargetRefusedException;
import io.cairn.api.model.BackupId;
import io.cairn.ceph.CephSettings;
import io.cairn.ceph.cluster.CephConnections;
import io.cairn.ceph.cluster.RbdVolume;
import io.cairn.ceph.rbd.LibRbd;
import io.cairn.ceph.rbd.RbdImageHandle;
import io.cairn.ceph.store.BackupNames;
import io.cairn.ceph.store.ImageMarks;
import java.util.ArrayList;
import java.util.List;

/**
 * What a restore into an RBD image checks before it writes, and how it holds the image while it does.
 *
 * <ul>
 *   <li>Backup storage is never a target: an image in the backup pool named like a base image, or
 *       any image carrying Cairn's base mark ({@link ImageMarks#BASE}), is refused whatever the
 *       caller asks - writing there would silently change stored backups.</li>
 *   <li>An image in use - with watchers (clients that have it open for writing) or an exclusive-lock
 *       owner - is refused unless the caller asks to overwrite; then the restore takes the image's
 *       exclusive lock and keeps it to the end (librbd's {@code RBD_LOCK_MODE_EXCLUSIVE}): the live
 *       client's writes fail with EROFS instead of interleaving with the restore. An image in use
 *       without the exclusive-lock feature cannot be held that way and is refused even then.</li>
 *   <li>From before the first write until the restore finishes, the target carries
 *       {@link ImageMarks#RESTORE_INCOMPLETE}: a restore that dies leaves the mark behind.</li>
 * </ul>
 */
final class RestoreTargetGuard {

    private final CephConnections connections;

    RestoreTargetGuard(CephConnections connections) {
        this.connections = connections;
    }

    /**
     * Refuses a target that by its place and name is backup storage: an image in the backup pool (on
     * the backup cluster) named like a base image.
     */
    void refuseBackupStorageByName(RbdVolume target, BackupId backup) {
        if (inBackupPool(target) && BackupNames.looksLikeBaseImage(target.image())) {
            throw new TargetRefusedException("refusing to restore backup " + backup + " into " + target + ": it is"
                    + " (named like) a base image in backup pool " + connections.settings().pool()
                    + ", where Cairn stores backups; writing there would corrupt them. Restore into another image.");
        }
    }

    /** Refuses an existing image that carries Cairn's base mark, wherever it is. */
    void refuseMarkedBase(RbdVolume target, RbdImageHandle image, BackupId backup) {
        String chain = image.metadata().get(ImageMarks.BASE);
        if (chain != null) {
            throw new TargetRefusedException("refusing to restore backup " + backup + " into " + target + ": it is a"
                    + " Cairn base image (image metadata " + ImageMarks.BASE + "=" + chain + ") holding stored"
                    + " backups; writing there would corrupt them. Restore into another image.");
        }
    }

    private boolean inBackupPool(RbdVolume target) {
        CephSettings settings = connections.settings();
        if (!target.pool().equals(settings.pool()) || !target.namespace().isEmpty()) {
            return false;
        }
        return settings.sameCluster() || connections.source().fsid().equals(connections.backup().fsid());
    }

    /**
     * Checks who uses an existing target and takes its exclusive lock.
     *
     * @param watchers the image's watchers, read before this process opened it for writing
     * @param image    the target, opened for writing
     * @throws TargetInUseException when it is in use and overwrite is off, or it is in use and cannot
     *         be held exclusively
     */
    void holdExclusively(RbdVolume target, List<String> watchers, RbdImageHandle image, boolean overwrite,
                         BackupId backup) {
        boolean lockable = (image.features() & LibRbd.FEATURE_EXCLUSIVE_LOCK) != 0;
        List<String> users = new ArrayList<>();
        watchers.forEach(watcher -> users.add("watcher " + watcher));
        image.lockOwners().forEach(owner -> users.add("exclusive lock owner " + owner));
        if (!users.isEmpty() && !overwrite) {
            throw new TargetInUseException("volume " + target + " is in use (" + String.join(", ", users)
                    + "); restoring backup " + backup + " would write under a live client. Stop the client, or ask"
                    + " to overwrite (e.g. --force): the restore then takes the image's exclusive lock and the"
                    + " client's writes fail until it ends. Nothing was written.");
        }
        if (!users.isEmpty() && !lockable) {
            throw new TargetInUseException("volume " + target + " is in use (" + String.join(", ", users)
                    + ") and has no exclusive-lock feature, so restoring backup " + backup + " cannot keep the"
                    + " client from writing at the same time. Stop the client first. Nothing was written.");
        }
        if (lockable) {
            image.acquireExclusiveLock();
        }
    }

    /** Marks the target as being restored; call before the first write. */
    static void markIncomplete(RbdImageHandle image, BackupId backup) {
        image.setMetadata(ImageMarks.RESTORE_INCOMPLETE, backup.value());
    }

    /** Clears the mark once every byte and the metadata are in. */
    static void markComplete(RbdImageHandle image) {
        image.removeMetadata(ImageMarks.RESTORE_INCOMPLETE);
    }
}
