package io.cairn.ceph.ops;

import io.cairn.api.model.BackupRef;
import io.cairn.api.model.StoredResource;
import io.cairn.api.operation.DeleteOperation;
import io.cairn.api.operation.DeleteRequest;
import io.cairn.api.operation.DeleteResult;
import io.cairn.ceph.cluster.CephConnections;
import io.cairn.ceph.cluster.CephErrors;
import io.cairn.ceph.cluster.RbdVolume;
import io.cairn.ceph.rbd.NativeCallException;
import io.cairn.ceph.rbd.RbdImageHandle.SnapshotInfo;
import io.cairn.ceph.rbd.RbdImageHandle;
import io.cairn.ceph.rbd.RbdImageNames;
import io.cairn.ceph.store.BackupNames;
import io.cairn.ceph.store.BaseImages;
import io.cairn.ceph.store.CephResources;
import io.cairn.ceph.store.CephServiceMetadata;
import io.cairn.ceph.store.DigestObjects;
import io.cairn.ceph.store.ImageMarks;
import io.cairn.ceph.store.MetadataObjects;
import io.cairn.ceph.store.RestorePoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deletes a backup, removing only what belongs to it and keeping every other backup restorable:
 * <ol>
 *   <li>its snapshot on each base image that its own service metadata or its recorded resources
 *       name, or that its own id names (the base a full backup of it creates);</li>
 *   <li>such a base image, once no snapshot is left on it, if it is provably the one recorded: the
 *       image id recorded for it matches, or - with no id recorded - it carries Cairn's base mark
 *       for its name, or it is the base the backup's own metadata names (backups stored before ids
 *       were recorded), or the journal recorded it under the name only this backup's own full backup
 *       gives ({@code <volume>.backup.<id>}) and it was created after the backup's source snapshot was
 *       taken (a backup killed after {@code rbd create} and before the mark or the id were written; an
 *       image that had the name before the backup began is another's);</li>
 *   <li>its digests object {@code backup.<id>.digests} and its metadata object {@code backup.<id>.meta}.</li>
 * </ol>
 * An object whose recorded identity differs is someone else's: it stays, and a note says so. No name
 * is guessed (not the reference driver's {@code <volume>.backup.base}), another backup's metadata is
 * never used, and source snapshots are not touched: the host removes those. Each step treats "already
 * gone" as done, and finishes what an interrupted delete began - a snapshot left in the trash namespace,
 * an image whose header is gone but which the pool still lists - so a delete killed at any point can be
 * repeated and leaves nothing behind.
 */
public final class CephDelete implements DeleteOperation {

    private final CephConnections connections;
    private final CephErrors errors;

    public CephDelete(CephConnections connections, CephErrors errors) {
        this.connections = connections;
        this.errors = errors;
    }

    @Override
    public DeleteResult delete(DeleteRequest request) {
        BackupRef backup = request.backup();
        String pool = connections.settings().pool();
        List<String> removed = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try {
            boolean anyBase = false;
            for (BaseOfBackup base : basesOf(backup)) {
                anyBase |= clean(backup, base, removed, notes);
            }
            if (!anyBase) {
                notes.add("no base image of backup " + backup.id() + " in pool " + pool + " (already deleted?)");
            }
            if (new DigestObjects(connections.backupPool(), pool).remove(backup.id())) {
                removed.add("digests object " + pool + "/" + BackupNames.digestObject(backup.id()));
            }
            if (new MetadataObjects(connections.backupPool(), pool).remove(backup.id())) {
                removed.add("metadata object " + pool + "/" + BackupNames.metadataObject(backup.id()));
            }
            return new DeleteResult(removed, notes);
        } catch (NativeCallException e) {
            throw errors.translate(e, "delete of backup " + backup.id());
        }
    }

    /**
     * A base image the backup may have a snapshot in, and what is known of it.
     *
     * @param name        the image in the backup pool
     * @param imageId     the image id recorded for it, or empty
     * @param ownMetadata whether the backup's own service metadata names it
     * @param ownJournal  whether the backup's journal recorded it as the base image its own full backup
     *                    creates, under the name that carries its id: the transfer records that name before
     *                    {@code rbd create}, so an image of it created since the backup began is this
     *                    backup's even before its mark is written
     */
    private record BaseOfBackup(String name, String imageId, boolean ownMetadata, boolean ownJournal) {
        BaseOfBackup merge(BaseOfBackup other) {
            return new BaseOfBackup(name, imageId.isEmpty() ? other.imageId : imageId, ownMetadata || other.ownMetadata,
                    ownJournal || other.ownJournal);
        }
    }

    /** The base images this backup's own metadata, its recorded resources and its own id name. */
    private List<BaseOfBackup> basesOf(BackupRef backup) {
        String pool = connections.settings().pool();
        String ownBase = BackupNames.baseImage(volumeName(backup), backup.id());
        Map<String, BaseOfBackup> bases = new LinkedHashMap<>();
        CephServiceMetadata stored = CephServiceMetadata.of(backup.metadata());
        stored.base().ifPresent(name -> add(bases, new BaseOfBackup(name, stored.baseId().orElse(""), true, false)));
        for (StoredResource resource : backup.resources()) {
            if (resource.kind().equals(CephResources.BASE_IMAGE)) {
                CephResources.imageIn(pool, resource).ifPresent(name ->
                        add(bases, new BaseOfBackup(name, resource.identity(), false, name.equals(ownBase))));
            } else if (resource.kind().equals(CephResources.BASE_SNAPSHOT)) {
                CephResources.imageIn(pool, resource).ifPresent(name ->
                        add(bases, new BaseOfBackup(name, "", false, false)));
            }
        }
        add(bases, new BaseOfBackup(ownBase, "", false, false));
        return List.copyOf(bases.values());
    }

    private static void add(Map<String, BaseOfBackup> bases, BaseOfBackup base) {
        bases.merge(base.name(), base, BaseOfBackup::merge);
    }

    private static String volumeName(BackupRef backup) {
        return backup.volume().isFile()
                ? BackupNames.fileVolumeName(backup.volume().filePath().toString())
                : RbdVolume.parse(backup.volume()).image();
    }

    /** @return whether the base image exists */
    private boolean clean(BackupRef backup, BaseOfBackup candidate, List<String> removed, List<String> notes) {
        String baseSpec = connections.settings().pool() + "/" + candidate.name();
        Optional<RbdImageHandle> opened = connections.openBackupImage(candidate.name(), null, false);
        if (opened.isEmpty()) {
            return finishInterruptedRemoval(backup, candidate, removed, notes);
        }
        boolean ours;
        try (RbdImageHandle base = opened.get()) {
            String actualId = base.id();
            if (!candidate.imageId().isEmpty() && !candidate.imageId().equals(actualId)) {
                notes.add("image " + baseSpec + " has image id " + actualId + ", not " + candidate.imageId()
                        + " as recorded for backup " + backup.id() + ": it is not this backup's base; left alone");
                return true;
            }
            for (SnapshotInfo snapshot : RestorePoint.snapshotsOf(base, backup.id())) {
                Optional<String> recorded = recordedSnapshotId(backup, candidate.name(), snapshot.name());
                if (recorded.isPresent() && !recorded.get().equals(Long.toString(snapshot.id()))) {
                    notes.add("snapshot " + baseSpec + "@" + snapshot.name() + " has snapshot id " + snapshot.id()
                            + ", not " + recorded.get() + " as recorded: left alone");
                } else if (base.removeSnapshotById(snapshot.id())) {
                    removed.add("snapshot " + baseSpec + "@" + snapshot.name());
                }
            }
            finishInterruptedSnapshotRemovals(backup, candidate, base, removed, notes);
            List<String> remaining = base.snapshots().stream().map(SnapshotInfo::name).toList();
            if (!remaining.isEmpty()) {
                if (candidate.ownMetadata() || ImageMarks.isCairnBase(candidate.name(), base.metadata())) {
                    notes.add("base image " + baseSpec + " kept: other backups still live in it");
                }
                return true;
            }
            ours = !candidate.imageId().isEmpty() || candidate.ownMetadata()
                    || ImageMarks.isCairnBase(candidate.name(), base.metadata())
                    || candidate.ownJournal() && createdDuring(backup, base);
        }
        if (!ours) {
            notes.add("image " + baseSpec + " kept: nothing records it as backup " + backup.id()
                    + "'s and it carries no Cairn base mark");
            return true;
        }
        // Closed above: our own handle must not make the image busy.
        if (new BaseImages(connections.backupPool(), connections.settings()).remove(candidate.name())) {
            removed.add("base image " + baseSpec);
        }
        return true;
    }

    /**
     * Whether the image was created no earlier than the backup's source snapshot was taken: a base the backup
     * itself created, not an image that already had the name when it tried to create its own (whose
     * {@code rbd create} then failed, leaving the same record). Both times come from the clock of the process
     * that ran the backup. Without a recorded snapshot nothing proves it: no.
     */
    private static boolean createdDuring(BackupRef backup, RbdImageHandle base) {
        return backup.snapshot().filter(snapshot -> !base.createdAt().isBefore(snapshot.createdAt())).isPresent();
    }

    /**
     * Removes this backup's snapshots on the base whose removal was begun and never finished: librbd's
     * first step moves a snapshot to the trash namespace under another name, where a delete killed right
     * after leaves it - unseen by a lookup by name, and keeping the base image from being removed.
     */
    private void finishInterruptedSnapshotRemovals(BackupRef backup, BaseOfBackup candidate, RbdImageHandle base,
            List<String> removed, List<String> notes) {
        String baseSpec = connections.settings().pool() + "/" + candidate.name();
        for (SnapshotInfo snapshot : base.snapshots()) {
            Optional<String> original = base.trashedSnapshotName(snapshot.id());
            if (original.isEmpty() || !BackupNames.isSnapshotOf(original.get(), backup.id())) {
                continue;
            }
            Optional<String> recorded = recordedSnapshotId(backup, candidate.name(), original.get());
            if (recorded.isPresent() && !recorded.get().equals(Long.toString(snapshot.id()))) {
                notes.add("trashed snapshot " + baseSpec + "@" + original.get() + " has snapshot id " + snapshot.id()
                        + ", not " + recorded.get() + " as recorded: left alone");
            } else if (base.removeSnapshotById(snapshot.id())) {
                removed.add("snapshot " + baseSpec + "@" + original.get() + " (its interrupted removal finished)");
            }
        }
    }

    /**
     * A base image that cannot be opened may be one whose removal was interrupted after its header went:
     * the pool's directory still lists it, and only finishing the removal takes it away. That is done
     * when it is this backup's: the directory's image id is the one recorded, or - with none recorded -
     * the backup's own metadata or its own id names it.
     *
     * @return whether the pool lists it
     */
    private boolean finishInterruptedRemoval(BackupRef backup, BaseOfBackup candidate, List<String> removed,
            List<String> notes) {
        String pool = connections.settings().pool();
        String baseSpec = pool + "/" + candidate.name();
        Optional<String> listedId = RbdImageNames.idOf(connections.backupPool(), candidate.name(), pool);
        if (listedId.isEmpty()) {
            return false;
        }
        boolean ours = candidate.imageId().isEmpty()
                ? candidate.ownMetadata() || candidate.name().equals(BackupNames.baseImage(volumeName(backup), backup.id()))
                : candidate.imageId().equals(listedId.get());
        if (!ours) {
            notes.add("image " + baseSpec + " (image id " + listedId.get() + ") cannot be opened and is not recorded"
                    + " as backup " + backup.id() + "'s: left alone");
            return true;
        }
        if (new BaseImages(connections.backupPool(), connections.settings()).finishRemoval(candidate.name())) {
            removed.add("base image " + baseSpec + " (its interrupted removal finished)");
        }
        return true;
    }

    /** The snapshot id recorded for the backup's restore point {@code base@snapshot}, if any. */
    private Optional<String> recordedSnapshotId(BackupRef backup, String base, String snapshot) {
        String name = connections.settings().pool() + "/" + base + "@" + snapshot;
        return backup.resources().stream()
                .filter(r -> r.kind().equals(CephResources.BASE_SNAPSHOT) && r.name().equals(name) && r.hasIdentity())
                .map(StoredResource::identity)
                .findFirst();
    }
}
