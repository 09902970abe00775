package io.cairn.host.testbackend;

import io.cairn.api.error.BackendException;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.SnapshotOperation;
import io.cairn.api.operation.SnapshotRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Snapshots as copies of the volume file, named {@code backup.<id>.snap.<sequence>} like Ceph's, with
 * the copy's file identity as theirs. The host owns them: one is removed only when asked, and only if
 * it is still the very file that was created (a same-named file made later is left alone).
 */
final class DirectorySnapshots implements SnapshotOperation {

    private final DirectoryLayout layout;

    DirectorySnapshots(DirectoryLayout layout) {
        this.layout = layout;
    }

    @Override
    public VolumeSnapshot create(SnapshotRequest request) {
        Path volume = layout.existingVolume(request.volume());
        String name = "backup." + request.backupId() + ".snap." + System.nanoTime();
        Path copy = layout.snapshotsOf(request.volume()).resolve(name);
        try {
            Files.createDirectories(copy.getParent());
            Files.copy(volume, copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new VolumeSnapshot(request.backupId(), request.volume(), name, DirectoryLayout.size(copy), Instant.now(),
                DirectoryLayout.identity(copy));
    }

    @Override
    public void remove(VolumeSnapshot snapshot) {
        if (layout.failSnapshotRemovals()) {
            throw new BackendException("cannot remove snapshot " + snapshot.volume() + "@" + snapshot.name()
                    + ": the source does not answer (fail_snapshot_removals)");
        }
        Path file = layout.snapshotsOf(snapshot.volume()).resolve(snapshot.name());
        String identity = DirectoryLayout.identity(file);
        if (identity.isEmpty() || (snapshot.hasIdentity() && !identity.equals(snapshot.identity()))) {
            return; // gone already, or another file of the same name
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
