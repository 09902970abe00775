package com.example.cairn;

import io.cairn.api.BackendDescriptor;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.tck.BackendFixture;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What the contract test kit needs from this backend's world, done directly with java.nio, never through
 * the backend: make and read volumes, tamper with snapshots and stored backups, list backup storage.
 */
final class ExampleFixture implements BackendFixture {

    private final Path volumes;
    private final Path backups;

    ExampleFixture(Path workDir) {
        this.volumes = workDir.resolve("volumes");
        this.backups = workDir.resolve("backups");
        try {
            Files.createDirectories(volumes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public BackendDescriptor descriptor() {
        return new ExampleBackend();
    }

    @Override
    public Map<String, Object> options() {
        return Map.of("volumes_dir", volumes.toString(), "backup_dir", backups.toString());
    }

    @Override
    public VolumeRef createVolume(String name, long sizeBytes) {
        try (RandomAccessFile file = new RandomAccessFile(volumes.resolve(name + ".img").toFile(), "rw")) {
            file.setLength(sizeBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return volumeName(name);
    }

    @Override
    public VolumeRef volumeName(String name) {
        return new VolumeRef(name + ".img");
    }

    @Override
    public void write(VolumeRef volume, long offset, byte[] data) {
        try (RandomAccessFile file = new RandomAccessFile(volumes.resolve(volume.locator()).toFile(), "rw")) {
            file.seek(offset);
            file.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public byte[] read(VolumeRef volume) {
        try {
            return Files.readAllBytes(volumes.resolve(volume.locator()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void removeVolume(VolumeRef volume) {
        try {
            Files.deleteIfExists(volumes.resolve(volume.locator()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean snapshotExists(VolumeRef volume, String snapshotName) {
        return Files.exists(snapshotFile(volume, snapshotName));
    }

    @Override
    public void removeSnapshot(VolumeSnapshot snapshot) {
        try {
            Files.deleteIfExists(snapshotFile(snapshot.volume(), snapshot.name()));
            Files.deleteIfExists(snapshotFile(snapshot.volume(), snapshot.name() + ".id"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void replaceSnapshotWithImpostor(VolumeSnapshot snapshot) {
        removeSnapshot(snapshot);
        try {
            Files.copy(volumes.resolve(snapshot.volume().locator()), snapshotFile(snapshot.volume(), snapshot.name()));
            Files.writeString(snapshotFile(snapshot.volume(), snapshot.name() + ".id"), UUID.randomUUID().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void destroyRestorePoint(BackupRef backup) {
        try {
            Files.delete(backups.resolve("backups").resolve(backup.id().value() + ".img"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<VolumeRef> backupStorageTargets(BackupRef backup) {
        return List.of(VolumeRef.ofFile(backups.resolve("backups").resolve(backup.id().value() + ".img")));
    }

    @Override
    public Set<String> storageObjects() {
        Set<String> names = new TreeSet<>();
        Path dir = backups.resolve("backups");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(file -> names.add("backups/" + file.getFileName()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }

    private Path snapshotFile(VolumeRef volume, String name) {
        return backups.resolve("snapshots").resolve(volume.locator() + "@" + name);
    }

    @Override
    public void close() {
    }
}
