package com.example.cairn;

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
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Copies a backup back. Every check comes before the first byte is written. */
final class ExampleRestores implements RestoreOperation {

    private final Layout layout;

    ExampleRestores(Layout layout) {
        this.layout = layout;
    }

    @Override
    public RestoreResult restore(RestoreRequest request) {
        Path target = request.target().isFile() ? request.target().filePath().toAbsolutePath().normalize()
                : layout.volumes().resolve(request.target().locator()).normalize();
        if (target.startsWith(layout.backups())) {
            throw new TargetRefusedException("target " + target + " is in backup_dir " + layout.backups());
        }
        Path backup = layout.backup(request.backup().id());
        try {
            if (!Files.isRegularFile(backup)) {
                throw new BackupDataMissingException("backup " + request.backup().id() + " is gone (" + backup + ")");
            }
            long size = Files.size(backup);
            boolean exists = Files.exists(target);
            if (exists && Files.size(target) < size) {
                throw new TargetTooSmallException("target " + target + " is smaller than backup " + request.backup().id());
            }
            if (exists && !request.overwrite() && holdsData(target)) {
                throw new TargetNotEmptyException("target " + target + " holds data; restoring needs overwrite");
            }
            if (exists) {
                // Over an existing target: write the backup's bytes from the start, keep the file itself.
                try (InputStream in = Files.newInputStream(backup);
                        FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE)) {
                    out.transferFrom(Channels.newChannel(in), 0, size);
                }
            } else {
                Files.copy(backup, target, StandardCopyOption.COPY_ATTRIBUTES);
            }
            request.progress().onProgress(size, size);
            return new RestoreResult(request.target(), RestoreMode.FULL_COPY, !exists, Files.size(target), size);
        } catch (IOException e) {
            throw new UncheckedIOException("restore into " + target + " failed: " + e.getMessage(), e);
        }
    }

    private static boolean holdsData(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) {
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
