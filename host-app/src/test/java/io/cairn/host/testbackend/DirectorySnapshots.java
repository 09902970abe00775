package io.cairn.host.testbackend;

import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.api.operation.SnapshotOperation;
import io.cairn.api.operation.SnapshotRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Snapshots as copies of the volume file, named {@code backup.<id>.snap.<sequence>} like Ceph's. */
final class DirectorySnapshots implements SnapshotOperation {

    private static final Pattern NAME = Pattern.compile("backup\\.([a-z0-9-]+)\\.snap\\.(\\d+)");

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
        return new VolumeSnapshot(request.backupId(), request.volume(), name, DirectoryLayout.size(copy), Instant.now());
    }

    @Override
    public List<VolumeSnapshot> list(VolumeRef volume) {
        Path dir = layout.snapshotsOf(volume);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<VolumeSnapshot> snapshots = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher m = NAME.matcher(file.getFileName().toString());
                if (m.matches()) {
                    snapshots.add(new VolumeSnapshot(new BackupId(m.group(1)), volume, m.group(0),
                            DirectoryLayout.size(file), Files.getLastModifiedTime(file).toInstant()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        snapshots.sort(Comparator.comparingLong(s -> sequence(s.name())));
        return snapshots;
    }

    @Override
    public void remove(VolumeSnapshot snapshot) {
        try {
            Files.deleteIfExists(layout.snapshotsOf(snapshot.volume()).resolve(snapshot.name()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<String> removeAllBut(VolumeRef volume, BackupId newest) {
        List<String> removed = new ArrayList<>();
        for (VolumeSnapshot snapshot : list(volume)) {
            if (!snapshot.backupId().equals(newest)) {
                remove(snapshot);
                removed.add(snapshot.name());
            }
        }
        return removed;
    }

    private static long sequence(String name) {
        Matcher m = NAME.matcher(name);
        return m.matches() ? Long.parseLong(m.group(2)) : 0;
    }
}
