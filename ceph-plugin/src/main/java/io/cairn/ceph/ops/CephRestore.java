package io.cairn.ceph.ops;

import com.sun.jna.Memory;
import io.cairn.api.error.BackendException;
import io.cairn.api.error.TargetNotEmptyException;
import io.cairn.api.error.TargetTooSmallException;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.RestoreOperation;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.api.operation.RestoreResult.RestoreMode;
import io.cairn.api.operation.RestoreResult;
import io.cairn.api.option.ByteSize;
import io.cairn.ceph.CephSettings;
import io.cairn.ceph.cluster.CephConnections;
import io.cairn.ceph.cluster.CephErrors;
import io.cairn.ceph.cluster.RbdVolume;
import io.cairn.ceph.copy.CopyStats;
import io.cairn.ceph.copy.Extent;
import io.cairn.ceph.copy.ExtentCopier;
import io.cairn.ceph.copy.IoShare;
import io.cairn.ceph.file.FileBlocks;
import io.cairn.ceph.file.FileVolume;
import io.cairn.ceph.rbd.Errno;
import io.cairn.ceph.rbd.LibRbd;
import io.cairn.ceph.rbd.NativeCallException;
import io.cairn.ceph.rbd.RadosPool;
import io.cairn.ceph.rbd.RbdBlocks;
import io.cairn.ceph.rbd.RbdImageHandle;
import io.cairn.ceph.store.BackupMetadata;
import io.cairn.ceph.store.ImageMarks;
import io.cairn.ceph.store.MetadataObjects;
import io.cairn.ceph.store.RestorePoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Restores a backup (a snapshot of a base image) into an RBD image or a file.
 *
 * <ul>
 *   <li>A target that does not exist is created with the backup's size and filled differentially:
 *       only the backup's allocated extents are written, zeros are skipped.</li>
 *   <li>An existing target that holds no data (an empty image, an empty file) is filled the same way.</li>
 *   <li>An existing target that holds data is written over only when the caller asks: every extent
 *       is written, and every hole of the backup is zeroed on the target.</li>
 *   <li>A target smaller than the backup is refused; a larger one keeps its size, the bytes past the
 *       backup's end zeroed when {@code restore_discard_excess_bytes} is on.</li>
 * </ul>
 * Every check happens before the first byte is written, and an RBD target is held exclusively while it
 * is written ({@link RestoreTargetGuard}): backup storage is never a target, an image in use only with
 * overwrite, and a restore that dies leaves the target marked {@code cairn.restore.incomplete}. The
 * volume's metadata and the backup's labels (as {@code cairn.label.<key>}) are set on a restored image.
 */
public final class CephRestore implements RestoreOperation {

    private final CephConnections connections;
    private final CephErrors errors;

    public CephRestore(CephConnections connections, CephErrors errors) {
        this.connections = connections;
        this.errors = errors;
    }

    @Override
    public RestoreResult restore(RestoreRequest request) {
        RestorePoint point = RestorePoint.locate(connections, request.backup());
        try (IoShare.Member copying = connections.ioShare().join();
             RbdImageHandle source = connections.openBackupImage(point.baseImage(), point.snapshot(), true)
                .orElseThrow(() -> new BackendException("restore point " + point.baseImage() + "@"
                        + point.snapshot() + " vanished"))) {
            List<Extent> data = source.diff(null, point.sizeBytes());
            return request.target().isFile()
                    ? restoreToFile(request, point, source, data)
                    : restoreToImage(request, point, source, data);
        } catch (NativeCallException e) {
            throw errors.translate(e, "restore of backup " + request.backup().id() + " to " + request.target());
        }
    }

    private RestoreResult restoreToImage(RestoreRequest request, RestorePoint point, RbdImageHandle source,
                                         List<Extent> data) {
        CephSettings settings = connections.settings();
        BackupId backupId = request.backup().id();
        RbdVolume target = RbdVolume.parse(request.target());
        RestoreTargetGuard guard = new RestoreTargetGuard(connections);
        guard.refuseBackupStorageByName(target, backupId);
        boolean created = false;
        List<String> watchers = List.of();
        Optional<RbdImageHandle> existing = connections.openSourceIfExists(target, true);
        if (existing.isPresent()) {
            // Read-only: this process does not watch the image yet, so every watcher is another client.
            try (RbdImageHandle readOnly = existing.get()) {
                guard.refuseMarkedBase(target, readOnly, backupId);
                watchers = readOnly.watchers();
            }
        } else {
            createImage(target, point.sizeBytes());
            created = true;
        }
        RbdImageHandle image = connections.openSource(target, null, false);
        try (image) {
            guard.holdExclusively(target, watchers, image, request.overwrite(), backupId);
            long targetSize = image.size();
            checkFits(request.target(), targetSize, point);
            boolean empty = created || image.diff(null, targetSize).stream().noneMatch(Extent::data);
            if (!empty && !request.overwrite()) {
                throw new TargetNotEmptyException("volume " + target + " already holds data; restoring backup "
                        + backupId + " would overwrite it (ask to overwrite, e.g. --force)");
            }
            List<Extent> plan = empty ? data : withHoles(data, point.sizeBytes());
            if (!empty && settings.restoreDiscardExcessBytes() && targetSize > point.sizeBytes()) {
                plan = new ArrayList<>(plan);
                plan.add(new Extent(point.sizeBytes(), targetSize - point.sizeBytes(), false));
            }
            RestoreTargetGuard.markIncomplete(image, backupId);
            CopyStats stats = copier(empty).copy(plan, new RbdBlocks(source), new RbdBlocks(image), empty,
                    request.progress());
            restoreMetadata(request, image);
            RestoreTargetGuard.markComplete(image);
            return new RestoreResult(request.target(), empty ? RestoreMode.DIFFERENTIAL : RestoreMode.FULL_COPY,
                    created, targetSize, stats.bytesWritten());
        } catch (RuntimeException e) {
            if (created) {
                // Nothing of the operator's is lost by removing an image this restore made.
                try {
                    RadosPool pool = connections.sourcePool(target);
                    int rc = pool.call("remove half-restored " + target,
                            p -> LibRbd.rbd_remove(pool.ioctx(), target.image()));
                    if (rc < 0 && rc != -Errno.ENOENT) {
                        e.addSuppressed(new NativeCallException("remove half-restored " + target, rc));
                    }
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    private RestoreResult restoreToFile(RestoreRequest request, RestorePoint point, RbdImageHandle source,
                                        List<Extent> data) {
        Path path = request.target().filePath();
        FileVolume target = new FileVolume(path);
        boolean created = !target.exists();
        boolean blockDevice = !created && target.isBlockDevice();
        if (!created && !blockDevice && !target.isRegularFile()) {
            throw new BackendException("restore target " + path + " is neither a regular file nor a block device");
        }
        long existingSize = created ? 0 : target.size();
        if (blockDevice) {
            checkFits(request.target(), existingSize, point);
        }
        boolean holdsData = blockDevice || existingSize > 0;
        if (holdsData && !request.overwrite()) {
            throw new TargetNotEmptyException((blockDevice ? "block device " : "file ") + path
                    + " already exists and holds data; restoring backup " + request.backup().id()
                    + " would overwrite it (ask to overwrite, e.g. --force)");
        }
        if (created && (path.getParent() == null || !Files.isDirectory(path.getParent()))) {
            throw new BackendException("cannot restore to " + path + ": directory " + path.getParent()
                    + " does not exist");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            boolean empty;
            List<Extent> plan;
            if (blockDevice) {
                empty = false;
                plan = new ArrayList<>(withHoles(data, point.sizeBytes()));
                if (connections.settings().restoreDiscardExcessBytes() && existingSize > point.sizeBytes()) {
                    plan.add(new Extent(point.sizeBytes(), existingSize - point.sizeBytes(), false));
                }
            } else {
                // A regular file becomes an exact, sparse image of the backup.
                channel.truncate(0);
                if (point.sizeBytes() > 0) {
                    channel.write(ByteBuffer.allocate(1), point.sizeBytes() - 1);
                }
                empty = true;
                plan = data;
            }
            CopyStats stats = copier(empty).copy(plan, new RbdBlocks(source), new FileBlocks(channel, path), empty,
                    request.progress());
            return new RestoreResult(request.target(), empty ? RestoreMode.DIFFERENTIAL : RestoreMode.FULL_COPY,
                    created, blockDevice ? existingSize : point.sizeBytes(), stats.bytesWritten());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    private ExtentCopier copier(boolean differential) {
        CephSettings settings = connections.settings();
        // Differential restores follow the base image's objects; full copies use chunk_size.
        int ioSize = differential ? 4 << 20 : settings.fullCopyIoSize();
        return new ExtentCopier(ioSize, connections.ioShare());
    }

    private static void checkFits(VolumeRef target, long targetSize, RestorePoint point) {
        if (targetSize < point.sizeBytes()) {
            throw new TargetTooSmallException("restore target " + target + " holds " + ByteSize.human(targetSize)
                    + " (" + targetSize + " bytes) but the backup needs " + ByteSize.human(point.sizeBytes()) + " ("
                    + point.sizeBytes() + " bytes); nothing was written");
        }
    }

    /** The data extents plus the holes between them, covering {@code [0, size)}. */
    static List<Extent> withHoles(List<Extent> data, long size) {
        List<Extent> all = new ArrayList<>();
        long position = 0;
        for (Extent extent : data) {
            if (!extent.data()) {
                continue;
            }
            if (extent.offset() > position) {
                all.add(new Extent(position, extent.offset() - position, false));
            }
            all.add(extent);
            position = extent.end();
        }
        if (position < size) {
            all.add(new Extent(position, size - position, false));
        }
        return all;
    }

    /**
     * Creates the target, which could not be opened. When its name is taken all the same, what holds it is
     * the remains of a creation killed part way - its id object and directory entry, no header, no data - as
     * a restore killed in {@code rbd_create} leaves them. They are named, not removed: nothing recorded them
     * as Cairn's (another client's {@code rbd create} may be what was killed, or may still be running).
     */
    private void createImage(RbdVolume target, long size) {
        RadosPool pool = connections.sourcePool(target);
        int rc = pool.call("create volume " + target, progress -> {
            try (Memory order = new Memory(4)) {
                order.setInt(0, 0);
                // rbd_create takes the cluster's default format and features, as 'rbd create' does.
                return LibRbd.rbd_create(pool.ioctx(), target.image(), size, order);
            }
        });
        if (rc == -Errno.EEXIST) {
            throw new BackendException("cannot create volume " + target + ": its name is taken, but no image of"
                    + " that name can be opened - what an image creation killed part way leaves (its id and directory"
                    + " entry, no header, no data; for example a restore killed while it created the target). Cairn did"
                    + " not record making them, so it leaves them: remove them with 'rbd rm " + target
                    + "' and restore again");
        }
        NativeCallException.check("create volume " + target, rc);
    }

    private void restoreMetadata(RestoreRequest request, RbdImageHandle image) {
        new MetadataObjects(connections.backupPool(), connections.settings().pool()).read(request.backup().id())
                .ifPresent(metadata -> {
                    for (Map.Entry<String, String> entry : metadata.imageMeta().entrySet()) {
                        // Cairn's marks describe the image they are on, never travel with its data.
                        if (!ImageMarks.isMark(entry.getKey())) {
                            image.setMetadata(entry.getKey(), entry.getValue());
                        }
                    }
                    for (Map.Entry<String, String> label : metadata.labels().entrySet()) {
                        image.setMetadata(BackupMetadata.LABEL_PREFIX + label.getKey(), label.getValue());
                    }
                });
    }
}
