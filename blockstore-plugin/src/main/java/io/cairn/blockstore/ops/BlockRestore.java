package io.cairn.blockstore.ops;

import io.cairn.api.error.BackendException;
import io.cairn.api.error.BackupDataMissingException;
import io.cairn.api.error.TargetNotEmptyException;
import io.cairn.api.error.TargetRefusedException;
import io.cairn.api.error.TargetTooSmallException;
import io.cairn.api.model.BackupRef;
import io.cairn.api.model.VolumeRef;
import io.cairn.api.operation.RestoreOperation;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.api.operation.RestoreResult;
import io.cairn.api.operation.RestoreResult.RestoreMode;
import io.cairn.blockstore.ImageFile;
import io.cairn.blockstore.ImageNaming;
import io.cairn.blockstore.store.FileSync;
import io.cairn.blockstore.store.Manifest;
import io.cairn.blockstore.store.StoreLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Writes a backup's blocks back into a file or block device. Every check comes before the first byte:
 * a target in the store or among the snapshots is refused; an existing target must be at least the
 * backup's size, and hold no data unless overwriting. A new or empty target gets only the backup's
 * blocks that are not zeros (a new file stays sparse); a target written over gets every block. Each
 * block is checked against its SHA-256 as it is read.
 *
 * <p>While a restore runs, a marker file {@code .<name>.cairn-restore-incomplete} lies beside the
 * target, so that a restore that died half-way is visible; the next restore into it that finishes
 * removes it.
 */
public final class BlockRestore implements RestoreOperation {

    private final StoreContext store;

    public BlockRestore(StoreContext store) {
        this.store = store;
    }

    @Override
    public RestoreResult restore(RestoreRequest request) {
        BackupRef backup = request.backup();
        Path target = targetPath(request.target());
        try (StoreLock.Hold held = store.lock().shared(store.lockTimeout())) {
            Manifest manifest = manifest(backup);
            ImageFile image = new ImageFile(request.target(), target);
            boolean exists = Files.exists(target);
            boolean writeEverything = false;
            if (exists) {
                long size = image.size();
                if (size < manifest.sizeBytes()) {
                    throw new TargetTooSmallException("target " + request.target() + " holds " + size + " bytes, less than"
                            + " the " + manifest.sizeBytes() + " of backup " + backup.id());
                }
                if (holdsData(target, size)) {
                    if (!request.overwrite()) {
                        throw new TargetNotEmptyException("target " + request.target() + " holds data; restoring into it"
                                + " needs overwrite (--force)");
                    }
                    writeEverything = true;
                }
            } else if (target.getParent() != null) {
                Files.createDirectories(target.getParent());
            }
            Path marker = target.resolveSibling("." + target.getFileName() + ".cairn-restore-incomplete");
            Files.writeString(marker, "restore of backup " + backup.id() + " into " + target + " started\n");
            FileSync.force(marker.getParent(), store.sync());
            long written = write(manifest, target, !exists, writeEverything, request);
            Files.deleteIfExists(marker);
            return new RestoreResult(request.target(), writeEverything ? RestoreMode.FULL_COPY : RestoreMode.DIFFERENTIAL,
                    !exists, image.size(), written);
        } catch (IOException e) {
            throw new UncheckedIOException("restore of backup " + backup.id() + " into " + request.target() + " failed: "
                    + e.getMessage(), e);
        }
    }

    private long write(Manifest manifest, Path target, boolean create, boolean writeEverything, RestoreRequest request)
            throws IOException {
        StandardOpenOption[] options = create
                ? new StandardOpenOption[] {StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE}
                : new StandardOpenOption[] {StandardOpenOption.WRITE};
        long written = 0;
        try (FileChannel out = FileChannel.open(target, options)) {
            for (int index = 0; index < manifest.chunks().size(); index++) {
                String chunk = manifest.chunks().get(index);
                int length = manifest.chunkLength(index);
                long position = (long) index * manifest.chunkSize();
                ByteBuffer buffer;
                if (chunk.equals(Manifest.ZERO)) {
                    if (!writeEverything) {
                        request.progress().onProgress(position + length, manifest.sizeBytes());
                        continue;
                    }
                    buffer = ByteBuffer.allocate(length);
                } else {
                    buffer = ByteBuffer.wrap(readChunk(chunk, length, request.backup()));
                }
                while (buffer.hasRemaining()) {
                    written += out.write(buffer, position + buffer.position());
                }
                request.progress().onProgress(position + length, manifest.sizeBytes());
            }
            if (create && out.size() < manifest.sizeBytes()) {
                // A sparse end: the file gets the backup's size.
                out.write(ByteBuffer.allocate(1), manifest.sizeBytes() - 1);
            }
            if (store.sync()) {
                out.force(true);
            }
        }
        request.progress().onProgress(manifest.sizeBytes(), manifest.sizeBytes());
        return written;
    }

    private byte[] readChunk(String hash, int length, BackupRef backup) throws IOException {
        try {
            return store.chunks().read(hash, length);
        } catch (NoSuchFileException e) {
            throw new BackupDataMissingException("block " + hash + " of backup " + backup.id() + " is gone from the store "
                    + store.layout().root(), e);
        } catch (IOException e) {
            throw new BackupDataMissingException("backup " + backup.id() + " cannot be restored: " + e.getMessage(), e);
        }
    }

    private Manifest manifest(BackupRef backup) {
        Path file = store.layout().manifest(backup.id());
        try {
            return Manifest.read(file);
        } catch (NoSuchFileException e) {
            throw new BackupDataMissingException("backup " + backup.id() + " is not in the store " + store.layout().root()
                    + " (no " + file.getFileName() + ")", e);
        } catch (IOException e) {
            throw new BackupDataMissingException("backup " + backup.id() + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The target's path, refused when it lies in backup storage; symlinks are followed to see where. */
    private Path targetPath(VolumeRef target) {
        Path path = target.isFile() ? target.filePath().toAbsolutePath().normalize() : store.volumesDir().resolve(target.locator()).normalize();
        Path real = realPath(path);
        if (store.isBackupStorage(path) || store.isBackupStorage(real) || isUnder(real, store.layout().root())
                || isUnder(real, store.snapshots().root())) {
            throw new TargetRefusedException("target " + target + " (" + real + ") is in the block store or among its"
                    + " snapshots; restoring there would destroy backups");
        }
        if (!target.isFile()) {
            Optional<String> problem = ImageNaming.INSTANCE.problem(target.locator());
            if (problem.isPresent()) {
                throw new BackendException("restore target " + problem.get());
            }
        }
        return path;
    }

    private static boolean isUnder(Path path, Path dir) {
        return path.startsWith(realPath(dir));
    }

    /** The real location: the path itself resolved if it exists, else its nearest existing parent's. */
    private static Path realPath(Path path) {
        Path existing = path;
        Path rest = path.getFileSystem().getPath("");
        while (existing != null && !Files.exists(existing)) {
            rest = existing.getFileName().resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            return existing.toRealPath().resolve(rest).normalize();
        } catch (IOException e) {
            return path;
        }
    }

    /** Whether any byte is not zero; reads until the first that is not. */
    private static boolean holdsData(Path target, long size) throws IOException {
        byte[] block = new byte[1 << 20];
        try (FileChannel in = FileChannel.open(target, StandardOpenOption.READ)) {
            for (long position = 0; position < size; position += block.length) {
                ByteBuffer buffer = ByteBuffer.wrap(block, 0, (int) Math.min(block.length, size - position));
                while (buffer.hasRemaining()) {
                    if (in.read(buffer, position + buffer.position()) < 0) {
                        return false;
                    }
                }
                if (!Zeros.isZero(block, buffer.position())) {
                    return true;
                }
            }
        }
        return false;
    }
}
