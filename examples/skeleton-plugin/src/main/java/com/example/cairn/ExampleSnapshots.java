package com.example.cairn;

import io.cairn.api.error.VolumeNotFoundException;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.SnapshotJournal;
import io.cairn.api.operation.SnapshotOperation;
import io.cairn.api.operation.SnapshotRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/**
 * Snapshots as copies, each with a random identity in a file beside it. The host owns them: they are
 * removed when it asks, and only if the identity is the one it recorded. Each one's name is given to the
 * host's journal before anything is written, so a process killed half-way through a copy leaves a name the
 * host's clean-up removes it by.
 */
final class ExampleSnapshots implements SnapshotOperation {

    private final Layout layout;

    ExampleSnapshots(Layout layout) {
        this.layout = layout;
    }

    @Override
    public VolumeSnapshot create(SnapshotRequest request) {
        return create(request, SnapshotJournal.NONE);
    }

    /** What the host calls: the name is in its catalog before the snapshot's first byte is written. */
    @Override
    public VolumeSnapshot create(SnapshotRequest request, SnapshotJournal journal) {
        Path volume = layout.volume(request.volume());
        if (!Files.isRegularFile(volume)) {
            throw new VolumeNotFoundException("volume " + request.volume() + " does not exist (" + volume + ")");
        }
        String name = "backup." + request.backupId();
        journal.intended(name);
        String identity = UUID.randomUUID().toString();
        try {
            Path copy = layout.snapshot(request.volume(), name);
            Files.createDirectories(copy.getParent());
            Files.writeString(layout.snapshotIdentity(request.volume(), name), identity);
            Files.copy(volume, copy);
            return new VolumeSnapshot(request.backupId(), request.volume(), name, Files.size(copy), Instant.now(), identity);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot snapshot " + volume + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void remove(VolumeSnapshot snapshot) {
        try {
            String present = Files.readString(layout.snapshotIdentity(snapshot.volume(), snapshot.name()));
            if (snapshot.hasIdentity() && !present.equals(snapshot.identity())) {
                return; // another snapshot of the same name: not the host's to remove
            }
            Files.deleteIfExists(layout.snapshot(snapshot.volume(), snapshot.name()));
            Files.deleteIfExists(layout.snapshotIdentity(snapshot.volume(), snapshot.name()));
        } catch (NoSuchFileException e) {
            // no identity file: the snapshot was never begun, or is gone already - counts as removed
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove snapshot " + snapshot.name() + ": " + e.getMessage(), e);
        }
    }
}
