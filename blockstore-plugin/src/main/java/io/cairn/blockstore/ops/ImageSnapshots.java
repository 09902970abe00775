package io.cairn.blockstore.ops;

import io.cairn.api.error.VolumeNotFoundException;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.SnapshotJournal;
import io.cairn.api.operation.SnapshotOperation;
import io.cairn.api.operation.SnapshotRequest;
import io.cairn.blockstore.ImageFile;
import io.cairn.blockstore.store.FileSync;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Snapshots of image files: a clone or a sparse copy in the snapshot directory, named
 * {@code backup.<id>}, with a random identity beside it. Removed only on the host's request, and only
 * when the identity is the one recorded - or, recorded by name alone (the name is handed to the host's journal
 * before the copy starts), with what a killed copy left of it.
 */
public final class ImageSnapshots implements SnapshotOperation {

    private final StoreContext store;

    public ImageSnapshots(StoreContext store) {
        this.store = store;
    }

    @Override
    public VolumeSnapshot create(SnapshotRequest request) {
        return create(request, SnapshotJournal.NONE);
    }

    /**
     * Takes the snapshot, its name recorded in {@code journal} before anything of it is written: a process killed
     * during the copy leaves the host a record, by which {@link #remove} clears what the copy left.
     */
    @Override
    public VolumeSnapshot create(SnapshotRequest request, SnapshotJournal journal) {
        ImageFile image = ImageFile.of(request.volume(), store.volumesDir());
        if (!image.exists()) {
            throw new VolumeNotFoundException("volume " + request.volume() + " does not exist (" + image.path() + ") on cluster "
                    + store.clusterName());
        }
        String name = "backup." + request.backupId().value();
        journal.intended(name);
        Path dir = store.snapshots().directory(request.volume());
        String identity = UUID.randomUUID().toString();
        Path data = store.snapshots().data(request.volume(), name);
        Path tmp = dir.resolve("." + name + "." + identity + ".tmp");
        Path idTmp = dir.resolve("." + name + "." + identity + ".id.tmp");
        try {
            Files.createDirectories(dir);
            Instant takenAt = Instant.now();
            long size = image.size();
            store.copier().copy(image.path(), tmp, size);
            Files.writeString(idTmp, identity + "\n", StandardCharsets.UTF_8);
            FileSync.force(idTmp, store.sync());
            // The identity first: a snapshot file is never there without its identity.
            Files.move(idTmp, store.snapshots().identityFile(request.volume(), name), StandardCopyOption.ATOMIC_MOVE);
            Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE);
            FileSync.force(dir, store.sync());
            return new VolumeSnapshot(request.backupId(), request.volume(), name, size, takenAt, identity);
        } catch (IOException e) {
            deleteQuietly(tmp);
            deleteQuietly(idTmp);
            throw new UncheckedIOException("cannot snapshot " + image + " into " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void remove(VolumeSnapshot snapshot) {
        try {
            if (!snapshot.hasIdentity()) {
                // Recorded by name only: its create may have been killed half-way, leaving temporary files named
                // after it (the name holds the backup's id, so they are its own).
                removeTemporaryFiles(store.snapshots().directory(snapshot.volume()), snapshot.name());
            }
            Optional<String> present = store.snapshots().identity(snapshot.volume(), snapshot.name());
            if (present.isEmpty()) {
                return;
            }
            if (snapshot.hasIdentity() && !present.get().equals(snapshot.identity())) {
                // Same name, another snapshot: not the one the host recorded, so not ours to remove.
                return;
            }
            Files.deleteIfExists(store.snapshots().data(snapshot.volume(), snapshot.name()));
            Files.deleteIfExists(store.snapshots().identityFile(snapshot.volume(), snapshot.name()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove snapshot " + snapshot.name() + " of " + snapshot.volume() + ": "
                    + e.getMessage(), e);
        }
    }

    private static void removeTemporaryFiles(Path dir, String name) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(file -> file.getFileName().toString().startsWith("." + name + ".")
                    && file.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort: a leftover temporary file starts with '.', and is never a snapshot
        }
    }
}
