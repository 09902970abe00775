package io.cairn.ceph.ops;

import io.cairn.api.error.BackendException;
import io.cairn.api.error.ChainBrokenException;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.ServiceMetadata;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.BackupKind;
import io.cairn.api.operation.TransferOperation;
import io.cairn.api.operation.TransferRequest;
import io.cairn.api.operation.TransferResult;
import io.cairn.ceph.CephSettings;
import io.cairn.ceph.copy.CopyStats;
import io.cairn.ceph.copy.Extent;
import io.cairn.ceph.copy.ExtentCopier;
import io.cairn.ceph.copy.FileBlocks;
import io.cairn.ceph.naming.BackupNames;
import io.cairn.ceph.naming.RbdVolume;
import io.cairn.ceph.rbd.NativeCallException;
import io.cairn.ceph.rbd.RbdBlocks;
import io.cairn.ceph.rbd.RbdImageHandle;
import io.cairn.ceph.rbd.RbdImageHandle.SnapshotInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Stores a snapshot as a backup in a base image of the backup pool.
 *
 * <p>A full backup creates the base image {@code <volume>.backup.<id>}; an incremental one writes into
 * its parent's base only what changed since the parent's snapshot. Either way the base image gets a
 * snapshot of the backup's name once the copy is complete: that snapshot is the restore point, so a
 * backup that failed half-way is never restorable. On failure everything this backup created is
 * removed, including its snapshot on the source.
 *
 * <p>A failed incremental may leave the base image's head partly written. That is harmless: restores
 * read snapshots only, and the next incremental from the same parent rewrites every extent changed
 * since that parent, a superset of what the failed one wrote.
 */
public final class CephTransfer implements TransferOperation {

    /** Service metadata key that names the base image, as in the reference driver. */
    public static final String BASE = "base";

    private final CephConnections connections;
    private final CephSnapshots snapshots;

    public CephTransfer(CephConnections connections, CephSnapshots snapshots) {
        this.connections = connections;
        this.snapshots = snapshots;
    }

    @Override
    public TransferResult transfer(TransferRequest request) {
        Rollback rollback = new Rollback();
        rollback.add("remove snapshot " + request.snapshot().name() + " from " + request.snapshot().volume(),
                () -> snapshots.remove(request.snapshot()));
        try {
            return request.snapshot().volume().isFile()
                    ? backUpFile(request, rollback)
                    : backUpImage(request, rollback);
        } catch (NativeCallException e) {
            BackendException translated = connections.translate(e, "backup of " + request.snapshot().volume());
            rollback.run(translated);
            throw translated;
        } catch (RuntimeException e) {
            rollback.run(e);
            throw e;
        }
    }

    private TransferResult backUpImage(TransferRequest request, Rollback rollback) {
        CephSettings settings = connections.settings();
        VolumeSnapshot snapshot = request.snapshot();
        RbdVolume volume = RbdVolume.parse(snapshot.volume());
        boolean full = request.parent().isEmpty();
        String baseName = full
                ? BackupNames.baseImage(volume.image(), snapshot.backupId())
                : request.parent().get().metadata().get(BASE).orElseThrow(() -> new ChainBrokenException(
                        "parent backup " + request.parent().get().id() + " records no base image"));
        String baseSpec = settings.pool() + "/" + baseName;
        BaseImages bases = new BaseImages(connections.backupPool(), settings);

        try (RbdImageHandle source = connections.openSource(volume, snapshot.name(), true)) {
            String fromSnapshot = full ? null : parentSnapshot(request.parent().get(), baseName, source);
            if (full) {
                bases.create(baseName, snapshot.sizeBytes());
                rollback.add("remove base image " + baseSpec, () -> bases.remove(baseName));
            }
            long bytesRead;
            long bytesWritten;
            if (settings.rbdCliTransfer()) {
                long streamed = new RbdCliTransfer(settings.sourceSide(), connections.sourcePool(volume),
                        settings.backupSide(), connections.backupPool()).run(volume.spec(),
                        snapshot.name(), fromSnapshot, baseSpec, snapshot.sizeBytes(), request.progress());
                rollback.add("remove snapshot " + baseSpec + "@" + snapshot.name(),
                        () -> removeBaseSnapshot(baseName, snapshot.name()));
                bytesRead = streamed;
                bytesWritten = streamed;
                writeMetadata(request, source, rollback);
            } else {
                try (RbdImageHandle base = openBase(baseName)) {
                    if (base.size() != snapshot.sizeBytes()) {
                        base.resize(snapshot.sizeBytes());
                    }
                    List<Extent> extents = source.diff(fromSnapshot, snapshot.sizeBytes());
                    ExtentCopier copier = new ExtentCopier((int) source.objectSize(), settings.parallelIos());
                    CopyStats stats = copier.copy(extents, new RbdBlocks(source), new RbdBlocks(base), full,
                            request.progress());
                    bytesRead = stats.bytesRead();
                    bytesWritten = stats.bytesWritten();
                    writeMetadata(request, source, rollback);
                    // The restore point exists only once every byte is in: this is the commit.
                    base.createSnapshot(snapshot.name());
                }
            }
            return new TransferResult(full ? BackupKind.FULL : BackupKind.INCREMENTAL,
                    ServiceMetadata.of(BASE, baseName), snapshot.sizeBytes(), bytesRead, bytesWritten);
        }
    }

    /**
     * The parent's snapshot name, which must exist on the parent's base image and still on the source
     * volume: the diff runs from it.
     */
    private String parentSnapshot(BackupRef parent, String baseName, RbdImageHandle source) {
        String parentSnapshot;
        try (RbdImageHandle base = connections.openBackupImage(baseName, null, true).orElseThrow(
                () -> new ChainBrokenException("base image " + connections.settings().pool() + "/" + baseName
                        + " of parent backup " + parent.id() + " no longer exists"))) {
            List<String> matching = base.snapshots().stream().map(SnapshotInfo::name)
                    .filter(name -> BackupNames.isSnapshotOf(name, parent.id())).toList();
            if (matching.isEmpty()) {
                throw new ChainBrokenException("the restore point of parent backup " + parent.id()
                        + " is gone from base image " + connections.settings().pool() + "/" + baseName);
            }
            if (matching.size() > 1) {
                throw new BackendException("base image " + baseName + " holds " + matching.size()
                        + " snapshots of backup " + parent.id() + ": " + matching);
            }
            parentSnapshot = matching.get(0);
        }
        boolean onSource = source.snapshots().stream().anyMatch(s -> s.name().equals(parentSnapshot));
        if (!onSource) {
            throw new ChainBrokenException("snapshot " + parentSnapshot + " of parent backup " + parent.id()
                    + " no longer exists on volume " + parent.volume() + ", so there is nothing to diff from");
        }
        return parentSnapshot;
    }

    private TransferResult backUpFile(TransferRequest request, Rollback rollback) {
        CephSettings settings = connections.settings();
        VolumeSnapshot snapshot = request.snapshot();
        if (request.parent().isPresent()) {
            throw new BackendException("volume " + snapshot.volume() + " is a file or device: only full backups are"
                    + " possible (there is no snapshot to diff from)");
        }
        Path path = snapshot.volume().filePath();
        String baseName = BackupNames.baseImage(BackupNames.fileVolumeName(path.toString()), snapshot.backupId());
        BaseImages bases = new BaseImages(connections.backupPool(), settings);
        bases.create(baseName, snapshot.sizeBytes());
        rollback.add("remove base image " + settings.pool() + "/" + baseName, () -> bases.remove(baseName));
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ);
             RbdImageHandle base = openBase(baseName)) {
            ExtentCopier copier = new ExtentCopier(settings.fullCopyIoSize(), settings.parallelIos());
            CopyStats stats = copier.copy(List.of(new Extent(0, snapshot.sizeBytes(), true)),
                    new FileBlocks(file, path), new RbdBlocks(base), true, request.progress());
            writeMetadata(request, null, rollback);
            base.createSnapshot(snapshot.name());
            return new TransferResult(BackupKind.FULL, ServiceMetadata.of(BASE, baseName), snapshot.sizeBytes(),
                    stats.bytesRead(), stats.bytesWritten());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private RbdImageHandle openBase(String baseName) {
        return connections.openBackupImage(baseName, null, false).orElseThrow(() -> new BackendException(
                "base image " + connections.settings().pool() + "/" + baseName + " vanished during the backup"));
    }

    private void removeBaseSnapshot(String baseName, String snapshotName) {
        connections.openBackupImage(baseName, null, false).ifPresent(base -> {
            try (base) {
                snapshots.removeIfPresent(base, snapshotName);
            }
        });
    }

    private void writeMetadata(TransferRequest request, RbdImageHandle source, Rollback rollback) {
        VolumeSnapshot snapshot = request.snapshot();
        Map<String, String> imageMeta = source == null ? Map.of() : source.metadata();
        MetadataObjects objects = new MetadataObjects(connections.backupPool(), connections.settings().pool());
        objects.create(snapshot.backupId(), new BackupMetadata(BackupMetadata.CURRENT_VERSION,
                snapshot.backupId().value(), snapshot.volume().locator(), snapshot.name(), snapshot.sizeBytes(),
                snapshot.createdAt().toString(), imageMeta, request.labels()));
        rollback.add("remove metadata object " + BackupNames.metadataObject(snapshot.backupId()),
                () -> objects.remove(snapshot.backupId()));
    }
}
