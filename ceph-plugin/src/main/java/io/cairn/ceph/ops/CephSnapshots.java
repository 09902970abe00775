package io.cairn.ceph.ops;

import io.cairn.api.error.BackendException;
import io.cairn.api.error.VolumeNotFoundException;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.SnapshotJournal;
import io.cairn.api.operation.SnapshotOperation;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.ceph.cluster.CephConnections;
import io.cairn.ceph.cluster.CephErrors;
import io.cairn.ceph.cluster.RbdVolume;
import io.cairn.ceph.file.FileVolume;
import io.cairn.ceph.rbd.NativeCallException;
import io.cairn.ceph.rbd.RbdImageHandle.SnapshotInfo;
import io.cairn.ceph.rbd.RbdImageHandle;
import io.cairn.ceph.store.BackupNames;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backup snapshots on source volumes: {@code backup.<id>.snap.<time>} on RBD images, identified by
 * their rbd snapshot id. Files and block devices have no snapshots; their "snapshot" only records the
 * name the base image's snapshot will get and the size at that moment.
 *
 * <p>The host owns these snapshots: this class creates one when asked and removes exactly the one it
 * is asked to remove. Nothing here lists or removes snapshots by name pattern: a snapshot named like
 * a backup snapshot may be the reference driver's, another Cairn configuration's, or an operator's.
 */
public final class CephSnapshots implements SnapshotOperation {

    private static final Logger LOG = LoggerFactory.getLogger(CephSnapshots.class);

    private final CephConnections connections;
    private final CephErrors errors;
    private final Clock clock;

    public CephSnapshots(CephConnections connections, CephErrors errors, Clock clock) {
        this.connections = connections;
        this.errors = errors;
        this.clock = clock;
    }

    /** Takes the snapshot, recording nothing before; its identity is the rbd snapshot id (empty for files). */
    @Override
    public VolumeSnapshot create(SnapshotRequest request) {
        return create(request, SnapshotJournal.NONE);
    }

    /**
     * Takes the snapshot; its identity is the rbd snapshot id (empty for files). Its name is recorded in
     * {@code journal} before {@code rbd_snap_create}, so that a backup killed in between leaves a record of it.
     * A file's "snapshot" creates nothing, so there is nothing to record.
     */
    @Override
    public VolumeSnapshot create(SnapshotRequest request, SnapshotJournal journal) {
        Instant now = clock.instant();
        String name = BackupNames.snapshot(request.backupId(), now);
        VolumeRef volume = request.volume();
        if (volume.isFile()) {
            FileVolume file = new FileVolume(volume.filePath());
            if (!file.exists()) {
                throw new VolumeNotFoundException("volume " + volume + " not found: no such file or device");
            }
            return new VolumeSnapshot(request.backupId(), volume, name, requireNonEmpty(volume, file.size()), now);
        }
        RbdVolume rbd = RbdVolume.parse(volume);
        try (RbdImageHandle image = connections.openSource(rbd, null, false)) {
            long size = requireNonEmpty(volume, image.size());
            journal.intended(name);
            image.createSnapshot(name);
            long id = image.snapshotId(name).orElseThrow(() -> new BackendException("snapshot " + rbd + "@" + name
                    + " vanished right after it was created"));
            return new VolumeSnapshot(request.backupId(), volume, name, size, now, Long.toString(id));
        } catch (NativeCallException e) {
            throw errors.translate(e, "snapshot of " + rbd);
        }
    }

    /**
     * An existing user snapshot of an RBD image, not Cairn's: its snapshot id is its identity, and its
     * size the image's at that snapshot. Files have no snapshots.
     */
    @Override
    public Optional<VolumeSnapshot> existing(BackupId backupId, VolumeRef volume, String name) {
        if (volume.isFile()) {
            throw new BackendException("volume " + volume + " is a file or device: it has no snapshots to back up");
        }
        RbdVolume rbd = RbdVolume.parse(volume);
        try (RbdImageHandle image = connections.openSource(rbd, null, true)) {
            SnapshotInfo found = image.snapshots().stream().filter(snapshot -> snapshot.name().equals(name))
                    .filter(snapshot -> image.groupSnapshotOf(snapshot.id()).isEmpty()).findFirst()
                    .orElseThrow(() -> new VolumeNotFoundException("snapshot " + rbd + "@" + name + " not found on "
                            + connections.source().settings().describe()));
            Instant taken = image.snapshotTime(found.id());
            return Optional.of(new VolumeSnapshot(backupId, volume, name, requireNonEmpty(volume, found.size()), taken,
                    Long.toString(found.id())));
        } catch (NativeCallException e) {
            throw errors.translate(e, "snapshot " + rbd + "@" + name);
        }
    }

    private static long requireNonEmpty(VolumeRef volume, long size) {
        if (size == 0) {
            throw new BackendException("volume " + volume + " has size 0; there is nothing to back up");
        }
        return size;
    }

    /**
     * Removes exactly this snapshot: the one of its name whose snapshot id is its identity. A snapshot
     * of the same name with another id was made by someone else after ours was removed; it stays.
     * Without an identity (a snapshot recorded before snapshots had one), the name alone decides. A removal
     * interrupted before (the snapshot is in the trash namespace, with its id) is finished.
     */
    @Override
    public void remove(VolumeSnapshot snapshot) {
        if (snapshot.volume().isFile()) {
            return;
        }
        RbdVolume rbd = RbdVolume.parse(snapshot.volume());
        Optional<RbdImageHandle> opened = connections.openSourceIfExists(rbd, false);
        if (opened.isEmpty()) {
            return;
        }
        try (RbdImageHandle image = opened.get()) {
            OptionalLong present = image.snapshotId(snapshot.name());
            if (present.isEmpty()) {
                finishInterruptedRemoval(image, rbd, snapshot);
                return;
            }
            if (snapshot.hasIdentity() && !Long.toString(present.getAsLong()).equals(snapshot.identity())) {
                LOG.info("snapshot {}@{} has id {}, not {} as recorded: it is not backup {}'s, left alone", rbd,
                        snapshot.name(), present.getAsLong(), snapshot.identity(), snapshot.backupId());
                return;
            }
            image.removeSnapshotById(present.getAsLong());
        } catch (NativeCallException e) {
            throw errors.translate(e, "remove snapshot " + rbd + "@" + snapshot.name());
        }
    }

    /**
     * A removal of this snapshot that was killed after librbd's first step left it in the trash namespace,
     * under another name: found by its recorded id and original name, it is removed now.
     */
    private static void finishInterruptedRemoval(RbdImageHandle image, RbdVolume rbd, VolumeSnapshot snapshot) {
        if (!snapshot.hasIdentity() || !snapshot.identity().matches("\\d+")) {
            return;
        }
        long id = Long.parseLong(snapshot.identity());
        if (image.trashedSnapshotName(id).filter(snapshot.name()::equals).isPresent()) {
            LOG.info("snapshot {}@{} (id {}) was left in the trash namespace by an interrupted removal; removing it",
                    rbd, snapshot.name(), id);
            image.removeSnapshotById(id);
        }
    }
}
