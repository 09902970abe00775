package io.cairn.blockstore;

import io.cairn.api.BackendDescriptor;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.model.VolumeSnapshot;
import io.cairn.tck.BackendFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The block store backend's hands for the contract test kit: volumes are sparse files in
 * {@code workDir/volumes/images}, the store is {@code workDir/store}, and everything is read and
 * changed with java.nio, never through the backend.
 */
final class BlockStoreFixture implements BackendFixture {

    private final Path volumes;
    private final Path store;
    private final Path snapshots;
    private final Map<String, Object> options;

    BlockStoreFixture(Path workDir, Map<String, Object> extraOptions) {
        this.volumes = workDir.resolve("volumes");
        this.store = workDir.resolve("store");
        this.snapshots = volumes.resolve(".cairn-snapshots");
        try {
            Files.createDirectories(volumes.resolve("images"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> all = new java.util.LinkedHashMap<>(Map.of("volumes_dir", volumes.toString(),
                "store_dir", store.toString(), "chunk_size", "64KiB"));
        all.putAll(extraOptions);
        this.options = Map.copyOf(all);
    }

    @Override
    public BackendDescriptor descriptor() {
        return new BlockStoreBackend();
    }

    @Override
    public Map<String, Object> options() {
        return options;
    }

    @Override
    public VolumeRef createVolume(String name, long sizeBytes) {
        VolumeRef volume = volumeName(name);
        try (FileChannel file = FileChannel.open(path(volume), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.allocate(1), sizeBytes - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return volume;
    }

    @Override
    public VolumeRef volumeName(String name) {
        return new VolumeRef("images/" + name + ".img");
    }

    @Override
    public void write(VolumeRef volume, long offset, byte[] data) {
        try (FileChannel file = FileChannel.open(path(volume), StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                file.write(buffer, offset + buffer.position());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public byte[] read(VolumeRef volume) {
        try {
            return Files.readAllBytes(path(volume));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void removeVolume(VolumeRef volume) {
        try {
            Files.deleteIfExists(path(volume));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean snapshotExists(VolumeRef volume, String snapshotName) {
        return Files.isRegularFile(snapshotFile(volume, snapshotName));
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
            Files.copy(path(snapshot.volume()), snapshotFile(snapshot.volume(), snapshot.name()));
            Files.writeString(snapshotFile(snapshot.volume(), snapshot.name() + ".id"), UUID.randomUUID() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void destroyRestorePoint(BackupRef backup) {
        try {
            Files.delete(store.resolve("backups").resolve(backup.id().value() + ".manifest"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void damageStoredData(BackupRef backup, long offset) {
        // The manifest lists each block's SHA-256 after its "chunks N" line; the block file is chunks/ab/cd/<hash>.
        try {
            List<String> lines = Files.readAllLines(store.resolve("backups").resolve(backup.id().value() + ".manifest"));
            int chunkSize = lines.stream().filter(l -> l.startsWith("chunk_size ")).map(l -> Integer.parseInt(l.substring(11)))
                    .findFirst().orElseThrow();
            int first = lines.indexOf(lines.stream().filter(l -> l.startsWith("chunks ")).findFirst().orElseThrow()) + 1;
            String hash = lines.get(first + (int) (offset / chunkSize));
            Path block = store.resolve("chunks").resolve(hash.substring(0, 2)).resolve(hash.substring(2, 4)).resolve(hash);
            byte[] data = Files.readAllBytes(block);
            data[(int) (offset % chunkSize)] ^= 0x5a;
            Files.write(block, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<VolumeRef> backupStorageTargets(BackupRef backup) {
        Path manifest = store.resolve("backups").resolve(backup.id().value() + ".manifest");
        return List.of(VolumeRef.ofFile(manifest), VolumeRef.ofFile(store.resolve("backups").resolve("new.img")),
                VolumeRef.ofFile(snapshotFile(backup.volume(), backup.snapshot().orElseThrow().name())),
                new VolumeRef(".cairn-snapshots/x.img"));
    }

    @Override
    public Set<String> storageObjects() {
        // Manifests and staging directories: what a backup owns. Blocks are shared by design and not journaled.
        Set<String> names = new TreeSet<>();
        for (String dir : List.of("backups", "tmp")) {
            Path path = store.resolve(dir);
            if (!Files.isDirectory(path)) {
                continue;
            }
            try (Stream<Path> files = Files.list(path)) {
                files.forEach(file -> names.add(dir + "/" + file.getFileName()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }

    /** Block files in the store now. */
    long chunkCount() {
        Path chunks = store.resolve("chunks");
        if (!Files.isDirectory(chunks)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(chunks)) {
            return files.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path path(VolumeRef volume) {
        return volumes.resolve(volume.locator());
    }

    Path store() {
        return store;
    }

    Path snapshotFile(VolumeRef volume, String name) {
        return snapshots.resolve(URLEncoder.encode(volume.locator(), StandardCharsets.UTF_8)).resolve(name);
    }

    @Override
    public void close() {
    }
}
