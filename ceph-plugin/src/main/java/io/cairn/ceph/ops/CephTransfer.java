package io.cairn.ceph.ops;

import io.cairn.api.ProgressListener;
import io.cairn.api.error.BackendException;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.StoredResource;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.BackupKind;
import io.cairn.api.operation.ResourceJournal;
import io.cairn.api.operation.TransferOperation;
import io.cairn.api.operation.TransferRequest;
import io.cairn.api.operation.TransferResult;
import io.cairn.ceph.CephSettings;
import io.cairn.ceph.cluster.CephConnections;
import io.cairn.ceph.cluster.CephErrors;
import io.cairn.ceph.cluster.RbdVolume;
import io.cairn.ceph.copy.Extent;
import io.cairn.ceph.copy.ExtentCopier;
import io.cairn.ceph.copy.IoShare;
import io.cairn.ceph.copy.MaskedSink;
import io.cairn.ceph.copy.RbdCliTransfer;
import io.cairn.ceph.digest.ChunkSizes;
import io.cairn.ceph.digest.DigestPlan;
import io.cairn.ceph.file.FileBlocks;
import io.cairn.ceph.rbd.NativeCallException;
import io.cairn.ceph.rbd.RbdBlocks;
import io.cairn.ceph.rbd.RbdImageHandle;
import io.cairn.ceph.store.BackupMetadata;
import io.cairn.ceph.store.BackupNames;
import io.cairn.ceph.store.BaseImages;
import io.cairn.ceph.store.CephResources;
import io.cairn.ceph.store.CephServiceMetadata;
import io.cairn.ceph.store.ImageMarks;
import io.cairn.ceph.store.MetadataObjects;
import io.cairn.ceph.store.ParentChain.DiffStart;
import io.cairn.ceph.store.ParentChain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Stores a snapshot as a backup in a base image of the backup pool.
 *
 * <p>A full backup creates the base image {@code <volume>.backup.<id>} (marked {@code cairn.base=<id>});
 * an incremental one writes into its parent's base only what changed since the parent's snapshot,
 * exactly as recorded (see {@link ParentChain}). Either way the base image gets a snapshot of the
 * backup's name once the copy is complete: that snapshot is the restore point, so a backup that failed
 * half-way is never restorable.
 *
 * <p>Beside the metadata object it stores the digests of the restore point ({@link TransferDigests}), so
 * that a verify never needs the source.
 *
 * <p>Every object is recorded in the request's journal before it is created and again with its
 * identity once it exists (base image: rbd image id; restore point: rbd snapshot id; metadata and
 * digests objects: their content digests). On failure what this transfer created is removed, best effort; the source
 * snapshot is the host's and is never touched.
 *
 * <p>A failed incremental may leave the base image's head partly written. Restores read snapshots only,
 * but the next incremental writes its diff onto that head, and the diff does not always cover what the failed
 * one wrote (a change undone on the volume since is no change since the parent): so every incremental first
 * puts the head back to its parent's restore point where it differs ({@link BaseHeadReset}).
 */
public final class CephTransfer implements TransferOperation {

    /** Service metadata key that names the base image, as in the reference driver. */
    public static final String BASE = CephServiceMetadata.BASE;

    private final CephConnections connections;
    private final CephErrors errors;
    private final TransferDigests digests;
    private final BaseHeadReset headReset;

    public CephTransfer(CephConnections connections, CephErrors errors) {
        this.connections = connections;
        this.errors = errors;
        this.digests = new TransferDigests(connections);
        this.headReset = new BaseHeadReset(connections);
    }

    @Override
    public TransferResult transfer(TransferRequest request) {
        Rollback rollback = new Rollback();
        try (IoShare.Member copying = connections.ioShare().join()) {
            return request.snapshot().volume().isFile()
                    ? backUpFile(request, rollback)
                    : backUpImage(request, rollback);
        } catch (NativeCallException e) {
            BackendException translated = errors.translate(e, "backup of " + request.snapshot().volume());
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

        // A set member's data is its image in the group snapshot; a volume's own, its snapshot.
        Optional<VolumeSnapshot> groupImage = request.groupImage();
        if (groupImage.isPresent() && settings.rbdCliTransfer()) {
            throw new BackendException("transfer: rbd-cli cannot back up a member of a backup set: rbd export-diff"
                    + " reads user snapshots only, not the images of a group snapshot; use transfer: native");
        }
        long size = request.dataSource().sizeBytes();
        try (RbdImageHandle source = connections.openSource(volume, groupImage.isPresent() ? null : snapshot.name(),
                true)) {
            String sourceSnapshotId = checkSnapshot(source, volume, snapshot);
            if (groupImage.isPresent()) {
                readFromGroupImage(source, volume, groupImage.get());
            }
            DiffStart start = full
                    ? new DiffStart(BackupNames.baseImage(volume.image(), snapshot.backupId()), null, null, null)
                    : new ParentChain(connections).verify(request.parent().get(), source);
            String baseName = start.baseImage();
            String baseId = full ? createBase(request, baseName, rollback) : start.baseImageId();
            String baseSpec = settings.pool() + "/" + baseName;
            List<Extent> diff = source.diff(start.fromSnapshot(), size);
            boolean recordDigests = settings.recordDigests();
            DigestPlan plan = recordDigests ? digests.plan(request, size, source.objectSize(), diff,
                    () -> source.diff(null, size)) : null;
            long bytesRead;
            long bytesWritten;
            String restorePointName = restorePointName(snapshot);
            if (settings.rbdCliTransfer()) {
                if (!restorePointName.equals(snapshot.name())) {
                    throw new BackendException("transfer: rbd-cli names the restore point after the source snapshot, so"
                            + " it cannot back up snapshot " + volume + "@" + snapshot.name() + ", which is not Cairn's;"
                            + " use transfer: native");
                }
                if (!full) {
                    // Closed again before import-diff opens the base: one writer holds its lock at a time.
                    try (RbdImageHandle base = openBase(baseName)) {
                        headReset.reset(base, baseName, start.parentRestorePoint());
                    }
                }
                // The stream reaches import-diff without its end-snapshot record: it writes the base's head only,
                // so that an import-diff outliving a killed Cairn can never create a restore point nobody records.
                long streamed = new RbdCliTransfer(settings.sourceSide(), connections.sourcePool(volume),
                        settings.backupSide(), connections.backupPool()).run(volume.spec(), snapshot.name(),
                        start.fromSnapshot(), baseSpec, size, request.progress());
                bytesRead = streamed;
                bytesWritten = streamed;
                if (recordDigests) {
                    // The stream went through rbd processes: the digests are read from the snapshot afterwards.
                    digests.store(request, digests.compute(plan, new RbdBlocks(source), ProgressListener.NONE), rollback);
                }
                writeMetadata(request, source, rollback);
                try (RbdImageHandle base = openBase(baseName)) {
                    commit(request, base, baseName, rollback);
                }
            } else {
                try (RbdImageHandle base = openBase(baseName)) {
                    if (!full) {
                        headReset.reset(base, baseName, start.parentRestorePoint());
                    }
                    if (base.size() != size) {
                        base.resize(size);
                    }
                    // The copy reads whole chunks, so that each is hashed from the block it copies, but writes
                    // only inside the diff: around it a new base reads as zeros, as the snapshot does where
                    // nothing is allocated, and an incremental's base holds the same bytes. (A chunk's zeros
                    // past the diff's end, shorter than a hole worth skipping, would otherwise be written.)
                    List<Extent> extents = !recordDigests ? diff : full ? plan.wholeChunks() : plan.readPlan(diff);
                    MaskedSink sink = new MaskedSink(new RbdBlocks(base), diff);
                    ExtentCopier copier = new ExtentCopier(TransferDigests.copyIoSize(source.objectSize(), plan),
                            connections.ioShare());
                    if (recordDigests) {
                        TransferDigests.Copied copied = digests.copy(plan, extents, copier, new RbdBlocks(source), sink,
                                full, request.progress());
                        bytesRead = copied.stats().bytesRead() + copied.rereadBytes();
                        digests.store(request, copied.digests(), rollback);
                    } else {
                        bytesRead = copier.copy(extents, new RbdBlocks(source), sink, full, request.progress()).bytesRead();
                    }
                    bytesWritten = sink.bytesWritten();
                    writeMetadata(request, source, rollback);
                    // The restore point exists only once every byte is in: this is the commit.
                    commit(request, base, baseName, rollback);
                }
            }
            return new TransferResult(full ? BackupKind.FULL : BackupKind.INCREMENTAL,
                    CephServiceMetadata.stored(baseName, baseId, snapshot.name(), sourceSnapshotId, restorePointName)
                            .toServiceMetadata(),
                    size, bytesRead, bytesWritten);
        }
    }

    /**
     * The snapshot to copy must be the one taken for this backup: same name, and the snapshot id it
     * was created with.
     *
     * @return its snapshot id
     */
    private static String checkSnapshot(RbdImageHandle source, RbdVolume volume, VolumeSnapshot snapshot) {
        OptionalLong id = source.snapshotId(snapshot.name());
        String actual = id.isPresent() ? Long.toString(id.getAsLong()) : "";
        if (snapshot.hasIdentity() && !snapshot.identity().equals(actual)) {
            throw new BackendException("snapshot " + volume + "@" + snapshot.name() + " has snapshot id " + actual
                    + ", not " + snapshot.identity() + " as when it was taken for backup " + snapshot.backupId()
                    + "; it is not the snapshot to back up");
        }
        return actual;
    }

    /**
     * Points the source at the member's image in the group snapshot: it must be the snapshot of that id,
     * and one a group snapshot made.
     */
    private static void readFromGroupImage(RbdImageHandle source, RbdVolume volume, VolumeSnapshot image) {
        long id;
        try {
            id = Long.parseLong(image.identity());
        } catch (NumberFormatException e) {
            throw new BackendException("group snapshot image " + volume + "@" + image.name() + " has no snapshot id");
        }
        if (source.snapshots().stream().noneMatch(present -> present.id() == id && present.name().equals(image.name()))
                || source.groupSnapshotOf(id).isEmpty()) {
            throw new BackendException("the image of volume " + volume + " in the set's group snapshot (" + image.name()
                    + ", snapshot id " + id + ") is gone, so the member cannot be read at the set's instant");
        }
        source.setSnapshotById(id);
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
        String baseId = createBase(request, baseName, rollback);
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ);
             RbdImageHandle base = openBase(baseName)) {
            ExtentCopier copier = new ExtentCopier(settings.fullCopyIoSize(), connections.ioShare());
            List<Extent> whole = snapshot.sizeBytes() == 0 ? List.of() : List.of(new Extent(0, snapshot.sizeBytes(), true));
            DigestPlan plan = DigestPlan.fromScratch(snapshot.backupId().value(),
                    ChunkSizes.forVolume(snapshot.sizeBytes(), ChunkSizes.OBJECT), snapshot.sizeBytes(), whole,
                    "every chunk of the file");
            FileBlocks blocks = new FileBlocks(file, path);
            TransferDigests.Copied copied = digests.copy(plan, whole, copier, blocks, new RbdBlocks(base), true,
                    request.progress());
            if (settings.recordDigests()) {
                digests.store(request, copied.digests(), rollback);
            }
            writeMetadata(request, null, rollback);
            commit(request, base, baseName, rollback);
            return new TransferResult(BackupKind.FULL,
                    CephServiceMetadata.stored(baseName, baseId, snapshot.name(), "", snapshot.name()).toServiceMetadata(),
                    snapshot.sizeBytes(), copied.stats().bytesRead() + copied.rereadBytes(),
                    copied.stats().bytesWritten());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates the base image of a new chain, journaled before and after, and marks it as Cairn's base
     * so it is recognisable whatever its name.
     *
     * @return its image id
     */
    private String createBase(TransferRequest request, String baseName, Rollback rollback) {
        CephSettings settings = connections.settings();
        BackupId chain = request.snapshot().backupId();
        StoredResource resource = CephResources.baseImage(settings.pool(), baseName);
        request.journal().record(resource);
        BaseImages bases = new BaseImages(connections.backupPool(), settings);
        bases.create(baseName, request.dataSource().sizeBytes());
        rollback.add("remove base image " + settings.pool() + "/" + baseName, () -> bases.remove(baseName));
        String baseId;
        try (RbdImageHandle base = openBase(baseName)) {
            base.setMetadata(ImageMarks.BASE, chain.value());
            baseId = base.id();
        }
        request.journal().record(resource.withIdentity(baseId));
        return baseId;
    }

    /**
     * The name of the backup's snapshot on the base image: the source snapshot's, when that is Cairn's
     * ({@code backup.<id>.snap.<time>}); for a snapshot that is not Cairn's ({@code nightly}), a name of Cairn's
     * making for the backup, so that deletes and restores find it by the backup's id and no two backups on one
     * base image share a name.
     */
    static String restorePointName(VolumeSnapshot snapshot) {
        return BackupNames.isSnapshotOf(snapshot.name(), snapshot.backupId()) || snapshot.volume().isFile()
                ? snapshot.name()
                : BackupNames.snapshot(snapshot.backupId(), snapshot.createdAt());
    }

    /** Creates the restore point: the base image's snapshot of the backup's name. */
    private void commit(TransferRequest request, RbdImageHandle base, String baseName, Rollback rollback) {
        String name = restorePointName(request.snapshot());
        StoredResource restorePoint = CephResources.baseSnapshot(connections.settings().pool(), baseName, name);
        request.journal().record(restorePoint);
        base.createSnapshot(name);
        rollback.add("remove snapshot " + base.name() + "@" + name, () -> removeBaseSnapshot(baseName, name));
        recordRestorePoint(request.journal(), restorePoint, base, name);
    }

    private static void recordRestorePoint(ResourceJournal journal, StoredResource restorePoint, RbdImageHandle base,
                                           String name) {
        long id = base.snapshotId(name).orElseThrow(() -> new BackendException("restore point " + base.name() + "@"
                + name + " was not created"));
        journal.record(restorePoint.withIdentity(Long.toString(id)));
    }

    private RbdImageHandle openBase(String baseName) {
        return connections.openBackupImage(baseName, null, false).orElseThrow(() -> new BackendException(
                "base image " + connections.settings().pool() + "/" + baseName + " vanished during the backup"));
    }

    /** Rolls back a restore point this transfer created (its name carries this backup's id). */
    private void removeBaseSnapshot(String baseName, String snapshotName) {
        connections.openBackupImage(baseName, null, false).ifPresent(base -> {
            try (base) {
                base.snapshotId(snapshotName).ifPresent(base::removeSnapshotById);
            }
        });
    }

    private void writeMetadata(TransferRequest request, RbdImageHandle source, Rollback rollback) {
        VolumeSnapshot snapshot = request.snapshot();
        Map<String, String> imageMeta = source == null ? Map.of() : source.metadata();
        String pool = connections.settings().pool();
        MetadataObjects objects = new MetadataObjects(connections.backupPool(), pool);
        StoredResource resource = CephResources.metadataObject(pool, snapshot.backupId());
        request.journal().record(resource);
        String sourceSnapshotId = source == null ? ""
                : source.snapshotId(snapshot.name()).stream().mapToObj(Long::toString).findFirst().orElse("");
        String identity = objects.create(snapshot.backupId(), new BackupMetadata(BackupMetadata.CURRENT_VERSION,
                snapshot.backupId().value(), snapshot.volume().locator(), snapshot.name(),
                request.dataSource().sizeBytes(), snapshot.createdAt().toString(), imageMeta, request.labels(),
                request.parent().isEmpty() ? BackupKind.FULL.label() : BackupKind.INCREMENTAL.label(),
                request.parent().map(parent -> parent.id().value()).orElse(null), sourceSnapshotId));
        rollback.add("remove metadata object " + BackupNames.metadataObject(snapshot.backupId()),
                () -> objects.remove(snapshot.backupId()));
        request.journal().record(resource.withIdentity(identity));
    }
}
