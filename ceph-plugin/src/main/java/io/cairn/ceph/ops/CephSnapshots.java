package io.cairn.ceph.ops;

import io.cairn.api.error.BackendException;
import io.cairn.api.error.VolumeNotFoundException;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.SnapshotOperation;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.ceph.copy.FileVolume;
import io.cairn.ceph.naming.BackupNames;
import io.cairn.ceph.naming.RbdVolume;
import io.cairn.ceph.rbd.NativeCallException;
import io.cairn.ceph.rbd.RbdImageHandle;
import io.cairn.ceph.rbd.RbdImageHandle.SnapshotInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Backup snapshots on source volumes: {@code backup.<id>.snap.<time>} on RBD images. Files and block
 * devices have no snapshots; their "snapshot" only records the name the base image's snapshot will get
 * and the size at that moment.
 */
public final class CephSnapshots implements SnapshotOperation {

    private final CephConnections connections;
    private final Clock clock;

    public CephSnapshots(CephConnections connections, Clock clock) {
        this.connections = connections;
        this.clock = clock;
    }

    @Override
    public VolumeSnapshot create(SnapshotRequest request) {
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
            image.createSnapshot(name);
            return new VolumeSnapshot(request.backupId(), volume, name, size, now);
        } catch (NativeCallException e) {
            throw connections.translate(e, "snapshot of " + rbd);
        }
    }

    private static long requireNonEmpty(VolumeRef volume, long size) {
        if (size == 0) {
            throw new BackendException("volume " + volume + " has size 0; there is nothing to back up");
        }
        return size;
    }

    @Override
    public List<VolumeSnapshot> list(VolumeRef volume) {
        if (volume.isFile()) {
            return List.of();
        }
        RbdVolume rbd = RbdVolume.parse(volume);
        try (RbdImageHandle image = connections.openSource(rbd, null, true)) {
            List<VolumeSnapshot> result = new ArrayList<>();
            for (SnapshotInfo snapshot : image.snapshots()) {
                BackupNames.backupIdOfSnapshot(snapshot.name()).ifPresent(id -> result.add(new VolumeSnapshot(
                        new BackupId(id), volume, snapshot.name(), snapshot.size(), takenAt(snapshot.name()))));
            }
            return result;
        } catch (NativeCallException e) {
            throw connections.translate(e, "list snapshots of " + rbd);
        }
    }

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
            removeIfPresent(image, snapshot.name());
        }
    }

    @Override
    public List<String> removeAllBut(VolumeRef volume, BackupId newest) {
        if (volume.isFile()) {
            return List.of();
        }
        RbdVolume rbd = RbdVolume.parse(volume);
        List<String> removed = new ArrayList<>();
        try (RbdImageHandle image = connections.openSource(rbd, null, false)) {
            for (SnapshotInfo snapshot : image.snapshots()) {
                Optional<String> id = BackupNames.backupIdOfSnapshot(snapshot.name());
                if (id.isPresent() && !id.get().equals(newest.value()) && removeIfPresent(image, snapshot.name())) {
                    removed.add(rbd + "@" + snapshot.name());
                }
            }
            return removed;
        }
    }

    /** Removes a snapshot; false when it was already gone. */
    boolean removeIfPresent(RbdImageHandle image, String snapshot) {
        try {
            image.removeSnapshot(snapshot);
            return true;
        } catch (NativeCallException e) {
            if (e.isNotFound()) {
                return false;
            }
            throw connections.translate(e, "remove snapshot " + image.name() + "@" + snapshot);
        }
    }

    /** The time in a snapshot name ({@code backup.<id>.snap.<seconds>.<fraction>}), or the epoch if unreadable. */
    static Instant takenAt(String snapshotName) {
        String time = BackupNames.SNAPSHOT_PATTERN.matcher(snapshotName).replaceFirst("$2");
        try {
            double seconds = Double.parseDouble(time);
            long whole = (long) seconds;
            return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e6) * 1000);
        } catch (NumberFormatException e) {
            return Instant.EPOCH;
        }
    }
}
