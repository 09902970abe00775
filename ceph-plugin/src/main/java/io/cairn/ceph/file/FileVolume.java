package io.cairn.ceph.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A file or block device used as a backup source or restore target: whether it exists, what kind it
 * is and how big it is (a block device's size is not in its file attributes, so it is read from sysfs).
 */
public record FileVolume(Path path) {

    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;

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

    public boolean isRegularFile() {
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(path);
    }

    /** The size in bytes: the length of a file, the capacity of a block device. */
    public long size() {
        try {
            if (!isBlockDevice()) {
                return Files.size(path);
            }
            long rdev = (Long) Files.getAttribute(path, "unix:rdev");
            long major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffL);
            long minor = (rdev & 0xff) | ((rdev >> 12) & ~0xffL);
            Path sectors = Path.of("/sys/dev/block/" + major + ":" + minor + "/size");
            return Long.parseLong(Files.readString(sectors).trim()) * 512;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + path + ": " + e.getMessage(), e);
        }
    }
}
