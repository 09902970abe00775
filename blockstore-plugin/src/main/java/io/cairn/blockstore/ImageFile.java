package io.cairn.blockstore;

import io.cairn.api.error.BackendException;
import io.cairn.api.model.VolumeRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A volume as a file: a raw or sparse image file, or a block device (a symlink to one in
 * {@code volumes_dir}, or a {@code file:/dev/...} name). A block device's size is not in its file
 * attributes; it is read from sysfs.
 *
 * @param volume the volume as named
 * @param path   where it is
 */
public record ImageFile(VolumeRef volume, Path path) {

    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;

    /** The file a volume name stands for: below {@code volumes_dir}, or the path of a {@code file:} name. */
    public static ImageFile of(VolumeRef volume, Path volumesDir) {
        if (volume.isFile()) {
            return new ImageFile(volume, volume.filePath().toAbsolutePath().normalize());
        }
        ImageNaming.INSTANCE.problem(volume.locator()).ifPresent(reason -> {
            throw new BackendException("volume " + reason);
        });
        return new ImageFile(volume, volumesDir.resolve(volume.locator()).normalize());
    }

    public boolean exists() {
        return Files.exists(path);
    }

    public boolean isBlockDevice() {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            return (mode & S_IFMT) == S_IFBLK;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + path + ": " + e.getMessage(), e);
        }
    }

    /** The size in bytes: a file's length, a block device's capacity. */
    public long size() {
        try {
            if (!isBlockDevice()) {
                return Files.size(path);
            }
            long rdev = (Long) Files.getAttribute(path, "unix:rdev");
            long major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffL);
            long minor = (rdev & 0xff) | ((rdev >> 12) & ~0xffL);
            return Long.parseLong(Files.readString(Path.of("/sys/dev/block/" + major + ":" + minor + "/size")).trim()) * 512;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return volume + " (" + path + ")";
    }
}
