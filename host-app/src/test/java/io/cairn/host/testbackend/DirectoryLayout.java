package io.cairn.host.testbackend;

import io.cairn.api.error.BackendException;
import io.cairn.api.error.VolumeNotFoundException;
import io.cairn.api.model.BackupId;
import io.cairn.api.model.VolumeRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Where the directory backend keeps volumes, snapshots and stored backups. */
record DirectoryLayout(Path volumesDir, Path backupDir, long blockSize, long quota, long bytesPerSecond) {

    Path volumeFile(VolumeRef volume) {
        if (volume.isFile()) {
            return volume.filePath();
        }
        if (!volume.locator().matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
            throw new BackendException("volume '" + volume + "' is not POOL/IMAGE");
        }
        return volumesDir.resolve(volume.locator());
    }

    Path existingVolume(VolumeRef volume) {
        Path file = volumeFile(volume);
        if (!Files.isRegularFile(file)) {
            throw new VolumeNotFoundException("volume " + volume + " does not exist (" + file + ")");
        }
        return file;
    }

    Path snapshotsOf(VolumeRef volume) {
        return backupDir.resolve("snapshots").resolve(URLEncoder.encode(volume.locator(), StandardCharsets.UTF_8));
    }

    Path stored(BackupId id) {
        return backupDir.resolve("store").resolve(id.value() + ".img");
    }

    long storedBytes() {
        Path store = backupDir.resolve("store");
        if (!Files.isDirectory(store)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(store)) {
            return files.mapToLong(DirectoryLayout::size).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
