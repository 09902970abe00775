package io.cairn.host.testbackend;

import io.cairn.api.error.BackupDataMissingException;
import io.cairn.api.error.TargetNotEmptyException;
import io.cairn.api.error.TargetRefusedException;
import io.cairn.api.error.TargetTooSmallException;
import io.cairn.api.operation.RestoreOperation;
import io.cairn.api.operation.RestoreRequest;
import io.cairn.api.operation.RestoreResult;
import io.cairn.api.operation.RestoreResult.RestoreMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Copies a stored backup to a volume or file, checking the target before writing anything: a target
 * inside the backup directory is always refused; a target holding data only with overwrite. While it
 * writes, a mark in {@code backup_dir/restores/} says the target is incomplete; a restore that dies
 * leaves it there until a restore into that target finishes.
 */
final class DirectoryRestores implements RestoreOperation {

    private final DirectoryLayout layout;

    DirectoryRestores(DirectoryLayout layout) {
        this.layout = layout;
    }

    @Override
    public RestoreResult restore(RestoreRequest request) {
        Path stored = layout.stored(request.backup().id());
        if (!Files.isRegularFile(stored)) {
            throw new BackupDataMissingException("backup " + request.backup().id() + " is not stored (" + stored + ")");
        }
        Path target = layout.volumeFile(request.target());
        if (layout.isBackupStorage(target)) {
            throw new TargetRefusedException("refusing to restore backup " + request.backup().id() + " into " + target
                    + ": it lies in backup directory " + layout.backupDir() + ", where backups are stored");
        }
        long size = DirectoryLayout.size(stored);
        boolean created = !Files.exists(target);
        Path mark = layout.restoreMark(target);
        try {
            if (!created) {
                if (DirectoryLayout.size(target) < size) {
                    throw new TargetTooSmallException("target " + request.target() + " holds " + DirectoryLayout.size(target)
                            + " bytes, backup " + request.backup().id() + " needs " + size);
                }
                if (!request.overwrite() && holdsData(target)) {
                    throw new TargetNotEmptyException("target " + request.target() + " holds data; ask to overwrite it");
                }
            }
            Files.createDirectories(mark.getParent());
            Files.writeString(mark, request.backup().id().value());
            Files.createDirectories(target.toAbsolutePath().getParent());
            copy(stored, target, request);
            Files.delete(mark);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        request.progress().onProgress(size, size);
        return new RestoreResult(request.target(), RestoreMode.FULL_COPY, created, size, size);
    }

    /**
     * Copies block by block at the layout's rate, in place: a new target is made as large as the backup
     * first (as a restore creates an image of the backup's size), so a restore that dies leaves a target of
     * the right size holding a mix; at the end the target is as large as the backup.
     */
    private void copy(Path stored, Path target, RestoreRequest request) throws IOException {
        long total = DirectoryLayout.size(stored);
        long started = System.nanoTime();
        long done = 0;
        try (InputStream in = Files.newInputStream(stored);
                FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (out.size() < total) {
                out.write(ByteBuffer.wrap(new byte[1]), total - 1);
            }
            byte[] block = new byte[(int) layout.blockSize()];
            int n;
            while ((n = in.readNBytes(block, 0, block.length)) > 0) {
                ByteBuffer buffer = ByteBuffer.wrap(block, 0, n);
                while (buffer.hasRemaining()) {
                    out.write(buffer, done + buffer.position());
                }
                done += n;
                request.progress().onProgress(done, total);
                layout.throttle(done, started);
            }
            out.truncate(total);
        }
    }

    private static boolean holdsData(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
