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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Where the directory backend keeps volumes, snapshots and stored backups, and the knobs tests turn to
 * catch an operation in the middle or make it fail.
 *
 * @param bytesPerSecond    backups and restores copy no faster than this
 * @param deletePause       a delete waits this long before it removes anything
 * @param failTransferAfter a transfer fails after copying this many bytes, leaving its partial copy as a
 *                          backend cut off from storage would (Long.MAX_VALUE: never)
 * @param failDeletes       every delete fails, as with storage that does not answer
 */
record DirectoryLayout(Path volumesDir, Path backupDir, long blockSize, long quota, long bytesPerSecond,
        Duration deletePause, long failTransferAfter, boolean failDeletes) {

    DirectoryLayout(Path volumesDir, Path backupDir, long blockSize, long quota) {
        this(volumesDir, backupDir, blockSize, quota, Long.MAX_VALUE, Duration.ZERO, Long.MAX_VALUE, false);
    }

    /** Sleeps until {@code done} bytes are due at {@link #bytesPerSecond} since {@code started} (nanos). */
    void throttle(long done, long started) {
        if (bytesPerSecond == Long.MAX_VALUE) {
            return;
        }
        long due = started + (long) (done * 1e9 / bytesPerSecond);
        pause(Duration.ofNanos(due - System.nanoTime()));
    }

    static void pause(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted");
        }
    }

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

    /** Where a restore into {@code target} leaves its mark until it finishes. */
    Path restoreMark(Path target) {
        return backupDir.resolve("restores")
                .resolve(URLEncoder.encode(target.toAbsolutePath().toString(), StandardCharsets.UTF_8) + ".incomplete");
    }

    /** Whether {@code file} lies inside the backup directory (backup storage, never a restore target). */
    boolean isBackupStorage(Path file) {
        return file.toAbsolutePath().normalize().startsWith(backupDir.toAbsolutePath().normalize());
    }

    /**
     * A file's identity, which a file created later under the same name does not share: its inode and
     * its change time to the nanosecond (neither survives a delete and re-create, nor a rewrite).
     * Empty when the file does not exist.
     */
    static String identity(Path file) {
        try {
            Object inode = Files.getAttribute(file, "unix:ino");
            FileTime changed = (FileTime) Files.getAttribute(file, "unix:ctime");
            return "ino " + inode + " ctime " + changed.to(TimeUnit.NANOSECONDS);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
